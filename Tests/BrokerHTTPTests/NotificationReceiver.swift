import Foundation
import HTTP

/// A loopback endpoint for CIBA pings and device pushes in tests: an `HTTPServer` that records
/// each POST and answers as told — 204, a 500, or only after sleeping past the sender's timeout.
final class NotificationReceiver: @unchecked Sendable {
    enum Behaviour: Sendable { case accept, fail500, slow(seconds: Double) }

    struct Received: Sendable {
        let path: String
        let authorization: String?
        let body: [UInt8]
    }

    /// What arrived; its own object so that the route can hold it before `self` exists.
    // @unchecked: `items` is guarded by `lock`; the server's workers append while tests read.
    private final class Log: @unchecked Sendable {
        let lock = NSLock()
        var items: [Received] = []
    }

    private let log = Log()
    private let server: HTTPServer
    let port: Int

    init(_ behaviour: Behaviour) throws {
        let router = Router()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoops = 1
        configuration.workerThreads = 4
        server = HTTPServer(configuration: configuration, router: router)
        router.post("/{kind}/{name}") { [log] request in
            let item = Received(path: request.path, authorization: request.headers["Authorization"], body: request.body)
            log.lock.withLock { log.items.append(item) }
            switch behaviour {
            case .accept: return HTTPResponse(status: 204)
            case .fail500: return HTTPResponse(status: 500)
            case .slow(let seconds):
                Thread.sleep(forTimeInterval: seconds)
                return HTTPResponse(status: 204)
            }
        }
        port = try server.start()
    }

    deinit {
        server.shutdown()
        server.waitUntilShutdown()
    }

    var requests: [Received] { log.lock.withLock { log.items } }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
}
