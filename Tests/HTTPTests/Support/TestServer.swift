import Dispatch
import HTTP

/// Runs `body` against a live server on a free port, then shuts it down and waits.
func withServer(
    _ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    routes: (Router) -> Void,
    _ body: (Int, HTTPServer) throws -> Void
) throws {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.eventLoops = 2
    configuration.workerThreads = 4
    configure(&configuration)
    let router = Router()
    routes(router)
    let server = HTTPServer(configuration: configuration, router: router)
    let port = try server.start()
    defer {
        server.shutdown()
        server.waitUntilShutdown()
    }
    try body(port, server)
}

/// A one-shot signal between threads; waits are bounded so a broken server fails, not hangs.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func open() { semaphore.signal() }
    func wait(seconds: Double = 10) -> Bool { semaphore.wait(timeout: .now() + seconds) == .success }
}
