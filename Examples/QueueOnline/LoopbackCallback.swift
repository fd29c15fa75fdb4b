import Foundation
import HTTP
import LoginKit

/// The native app's redirect receiver (RFC 8252 §7.3): an HTTP listener on 127.0.0.1 with a
/// port the system picks, answering `GET /callback` once and handing its query to the app.
///
/// `@unchecked Sendable`: `received` is written by a server worker and read by the app's thread,
/// both under `condition`.
final class LoopbackCallback: @unchecked Sendable {
    private let server: HTTPServer
    private let condition = NSCondition()
    private var received: String?
    let port: Int

    init() throws {
        let router = Router()
        let box = Box()
        router.get("/callback") { request in
            box.deliver?(request.query ?? "")
            return .html(200, """
                <!doctype html><html lang="en"><meta charset="utf-8"><title>Queue Online</title>
                <p>Signed in. You may close this window and return to Queue Online.</p></html>
                """)
        }
        server = HTTPServer(configuration: .exampleApp(port: 0, workerThreads: 2), router: router)
        port = try server.start()
        box.deliver = { [weak self] query in self?.deliver(query) }
    }

    /// `redirect_uri`: the registered `http://127.0.0.1/callback` with our port.
    var redirectURI: String { "http://127.0.0.1:\(port)/callback" }

    /// Blocks until the callback arrives (or `timeout` seconds pass: nil).
    func wait(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while received == nil && condition.wait(until: deadline) {}
        return received
    }

    func stop() {
        server.shutdown()
        server.waitUntilShutdown()
    }

    private func deliver(_ query: String) {
        condition.lock()
        if received == nil { received = query }
        condition.broadcast()
        condition.unlock()
    }

    /// Lets the route, created before `self` is complete, reach it later.
    /// `@unchecked Sendable`: `deliver` is set once, before the first request can arrive.
    private final class Box: @unchecked Sendable {
        var deliver: ((String) -> Void)?
    }
}
