import Foundation
import HTTP
import JOSE
import JSON

/// The client notification endpoint of CIBA ping mode (CIBA Core §10.2): an HTTP listener on
/// 127.0.0.1 that accepts `POST <path>` with `Authorization: Bearer <client_notification_token>`
/// and `{"auth_req_id": …}`, and wakes the desk when the pinged request is ours.
///
/// `@unchecked Sendable`: `pinged` is written by a server worker and read by the desk's thread,
/// both under `condition`.
final class PingReceiver: @unchecked Sendable {
    private let server: HTTPServer
    private let condition = NSCondition()
    private var pinged: Set<String> = []
    private var expected: [String: String] = [:]   // auth_req_id -> its notification token
    let port: Int

    init(port: Int, path: String) throws {
        let router = Router()
        let box = Box()
        router.post(path) { request in
            let answer = box.receive?(request) ?? 503
            return HTTPResponse(status: answer)
        }
        server = HTTPServer(configuration: .exampleApp(port: port, workerThreads: 2), router: router)
        self.port = try server.start()
        box.receive = { [weak self] request in self?.receive(request) ?? 503 }
    }

    /// Registers the token sent with `authReqID`'s request before the request is made.
    func expect(authReqID: String, token: String) {
        condition.withLock { expected[authReqID] = token }
    }

    /// Blocks until `authReqID` is pinged (true) or `timeout` seconds pass (false).
    func wait(for authReqID: String, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !pinged.contains(authReqID) && condition.wait(until: deadline) {}
        return pinged.contains(authReqID)
    }

    func stop() {
        server.shutdown()
        server.waitUntilShutdown()
    }

    /// §10.2: the OP sends the token as a bearer credential; the client answers 204 (any 2xx is
    /// success to the OP). A wrong or missing token is 401, a body without our id 400, so a
    /// forged ping wakes nothing.
    private func receive(_ request: HTTPRequest) -> Int {
        guard let authorization = request.headers["Authorization"], authorization.hasPrefix("Bearer "),
              let body = try? JSONValue(parsing: request.body), let id = body["auth_req_id"]?.stringValue
        else { return 400 }
        let token = String(authorization.dropFirst("Bearer ".count))
        condition.lock()
        defer { condition.unlock() }
        guard let wanted = expected[id], Crypto.constantTimeEquals(Array(wanted.utf8), Array(token.utf8)) else { return 401 }
        pinged.insert(id)
        condition.broadcast()
        return 204
    }

    /// Lets the route, created before `self` is complete, reach it later.
    /// `@unchecked Sendable`: `receive` is set once, before the first request can arrive.
    private final class Box: @unchecked Sendable {
        var receive: ((HTTPRequest) -> Int)?
    }
}
