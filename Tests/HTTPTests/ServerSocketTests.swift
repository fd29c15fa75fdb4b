import Dispatch
import Foundation
import Glibc
import Testing
@testable import HTTP

/// End-to-end over real loopback sockets.
@Suite("Live server over TCP", .serialized)
struct ServerSocketTests {
    static func routes(_ router: Router) {
        router.get("/hello", execution: .inline) { _ in .text(200, "hello") }
        router.get("/worker/{name}") { request in .text(200, "hi " + (request.pathParameters["name"] ?? "")) }
        router.post("/echo") { request in .json(200, request.body) }
        router.post("/form") { request in
            do {
                return .text(200, try request.formParameters().value("a") ?? "none")
            } catch {
                return .json(400, Array("{\"error\":\"invalid_request\"}".utf8))
            }
        }
        router.get("/ip", execution: .inline) { request in .text(200, request.remoteAddress) }
    }

    @Test func keepAliveAndPipeliningAnswerInOrder() throws {
        try withServer(routes: Self.routes) { port, _ in
            let client = try RawClient(port: port)
            client.send(
                "GET /worker/a HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}GET /worker/b HTTP/1.1\r\nHost: x\r\n\r\n")
            let bodies = try (0..<4).map { _ in try client.readResponse().bodyText }
            #expect(bodies == ["hi a", "hello", "{}", "hi b"])
            client.send("GET /ip HTTP/1.1\r\nHost: x\r\n\r\n")
            let ip = try client.readResponse()
            #expect(ip.bodyText == "127.0.0.1")
            #expect(ip.header("Connection") == nil)
        }
    }

    @Test func http10ClosesUnlessKeepAlive() throws {
        try withServer(routes: Self.routes) { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /hello HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
            let keep = try RawClient(port: port)
            keep.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try keep.readResponse().header("Connection") == "keep-alive")
            keep.send("GET /hello HTTP/1.0\r\n\r\n")
            #expect(try keep.readResponse().status == 200)
        }
    }

    @Test func chunkedBodyIsDecoded() throws {
        try withServer(routes: Self.routes) { port, _ in
            let client = try RawClient(port: port)
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nX-T: y\r\n\r\n")
            #expect(try client.readResponse().bodyText == "{\"a\":1}")
        }
    }

    @Test func expectContinueThenBody() throws {
        try withServer(routes: Self.routes) { port, _ in
            let client = try RawClient(port: port)
            client.send("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            #expect(try client.readResponse().status == 100)
            client.send("a=b+c")
            #expect(try client.readResponse().bodyText == "b c")
        }
    }

    struct Attack: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: String
        let status: Int
        let error: String
        var testDescription: String { name }
    }

    static let attacks: [Attack] = [
        .init(name: "CL.TE smuggling", bytes: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG", status: 400, error: "invalid_request"),
        .init(name: "differing Content-Length", bytes: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", status: 400, error: "invalid_request"),
        .init(name: "obs-fold", bytes: "GET /hello HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", status: 400, error: "invalid_request"),
        .init(name: "space before colon", bytes: "GET /hello HTTP/1.1\r\nHost : x\r\n\r\n", status: 400, error: "invalid_request"),
        .init(name: "missing Host", bytes: "GET /hello HTTP/1.1\r\n\r\n", status: 400, error: "invalid_request"),
        .init(name: "NUL in header", bytes: "GET /hello HTTP/1.1\r\nHost: x\r\nX: a\u{0}\r\n\r\n", status: 400, error: "invalid_request"),
        .init(name: "bare LF line ends", bytes: "GET /hello HTTP/1.1\nHost: x\n\n", status: 400, error: "invalid_request"),
        .init(name: "gzip transfer coding", bytes: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501, error: "not_implemented"),
        .init(name: "Expect other than 100-continue", bytes: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nExpect: x\r\n\r\na", status: 417, error: "invalid_request"),
        .init(name: "body over limit", bytes: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", status: 413, error: "request_too_large"),
        .init(name: "headers over limit", bytes: "GET /hello HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "a", count: 3000) + "\r\n\r\n", status: 431, error: "headers_too_large"),
        .init(name: "unknown path", bytes: "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", status: 404, error: "not_found"),
    ]

    @Test("refused and closed", arguments: attacks)
    func refusesAndCloses(_ attack: Attack) throws {
        try withServer({ $0.maxBodyBytes = 1000; $0.maxHeaderBytes = 2048 }, routes: Self.routes) { port, _ in
            let client = try RawClient(port: port)
            client.send(attack.bytes)
            let response = try client.readResponse()
            #expect(response.status == attack.status)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.bodyText.hasPrefix("{\"error\":\"\(attack.error)\""))
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose(), "no second request may be read after a framing error")
        }
    }

    @Test func headReturnsHeadersOnly() throws {
        try withServer(routes: Self.routes) { port, _ in
            let client = try RawClient(port: port)
            client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(headOnly: true)
            #expect(head.header("Content-Length") == "5")
            #expect(try client.readResponse().bodyText == "hello", "the next response starts right after the HEAD headers")
        }
    }

    @Test func slowlorisIsDroppedAndOthersAreServed() throws {
        try withServer({ $0.headerTimeout = 0.3 }, routes: Self.routes) { port, _ in
            let slow = try RawClient(port: port)
            slow.send("GET /hello HTTP/1.1\r\nHost: x\r\n")
            let other = try RawClient(port: port)
            other.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try other.readResponse().status == 200)
            #expect(slow.waitForClose())
        }
    }

    @Test func bodyAndIdleTimeoutsClose() throws {
        try withServer({ $0.bodyTimeout = 0.3; $0.idleTimeout = 0.3 }, routes: Self.routes) { port, _ in
            let body = try RawClient(port: port)
            body.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            #expect(body.waitForClose())
            let idle = try RawClient(port: port)
            idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try idle.readResponse().status == 200)
            #expect(idle.waitForClose())
        }
    }

    @Test func slowHandlerDoesNotBlockFastOne() throws {
        let release = Gate()
        let started = Gate()
        try withServer({ $0.workerThreads = 2 }, routes: { router in
            router.get("/slow") { _ in
                started.open()
                _ = release.wait()
                return .text(200, "slow")
            }
            Self.routes(router)
        }) { port, _ in
            let slow = try RawClient(port: port)
            slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(started.wait())
            let fast = try RawClient(port: port)
            fast.send("GET /worker/f HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try fast.readResponse().bodyText == "hi f")
            #expect(try fast.readResponse().bodyText == "hello")
            release.open()
            #expect(try slow.readResponse().bodyText == "slow")
        }
    }

    @Test func eventStreamDeliversAndLearnsOfDisconnect() throws {
        let closed = Gate()
        let holder = StreamHolder()
        try withServer({ $0.eventStreamHeartbeat = 0.2 }, routes: { router in
            router.get("/events") { _ in
                .eventStream { stream in
                    stream.onClose { closed.open() }
                    holder.set(stream)
                    stream.send(event: "hello", data: "1")
                }
            }
        }) { port, server in
            let client = try RawClient(port: port)
            client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(headOnly: true)
            #expect(head.header("Content-Type") == "text/event-stream")
            #expect(head.header("Transfer-Encoding") == "chunked")
            #expect(client.readChunk().map { String(decoding: $0, as: UTF8.self) } == "event: hello\ndata: 1\n\n")
            let stream = try #require(holder.wait())
            DispatchQueue.global().async { stream.send(data: "from another thread") }
            var sawEvent = false
            var sawHeartbeat = false
            while !(sawEvent && sawHeartbeat), let chunk = client.readChunk() {
                let text = String(decoding: chunk, as: UTF8.self)
                if text == "data: from another thread\n\n" { sawEvent = true }
                if text == ":\n\n" { sawHeartbeat = true }
            }
            #expect(sawEvent)
            #expect(sawHeartbeat)
            #expect(server.connectionCount == 1)
            close(client.fd)
            #expect(closed.wait(), "the handler learns the client went away")
            #expect(!stream.send(data: "late"))
        }
    }

    @Test func eventStreamClosedByHandlerEndsTheResponse() throws {
        try withServer(routes: { router in
            router.get("/once") { _ in
                .eventStream { stream in
                    stream.send(data: "only")
                    stream.close()
                }
            }
        }) { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /once HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try client.readResponse(headOnly: true)
            #expect(client.readChunk().map { String(decoding: $0, as: UTF8.self) } == "data: only\n\n")
            #expect(client.readChunk() == nil)
            #expect(client.waitForClose())
        }
    }

    @Test func connectionsBeyondTheLimitGet503() throws {
        try withServer({ $0.maxConnections = 2; $0.eventLoops = 1 }, routes: Self.routes) { port, server in
            let first = try RawClient(port: port)
            let second = try RawClient(port: port)
            first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            second.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try first.readResponse().status == 200)
            #expect(try second.readResponse().status == 200)
            #expect(server.connectionCount == 2)
            let third = try RawClient(port: port)
            let busy = try third.readResponse()
            #expect(busy.status == 503)
            #expect(busy.bodyText.contains("server_busy"))
            #expect(third.waitForClose())
            first.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(try first.readResponse().status == 200)
            #expect(first.waitForClose())
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequest() throws {
        let release = Gate()
        let started = Gate()
        let router = Router()
        router.get("/slow") { _ in
            started.open()
            _ = release.wait()
            return .text(200, "done")
        }
        router.get("/hello", execution: .inline) { _ in .text(200, "hello") }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoops = 1
        configuration.workerThreads = 2
        let server = HTTPServer(configuration: configuration, router: router)
        let port = try server.start()
        let idle = try RawClient(port: port)
        idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try idle.readResponse().status == 200)
        let busy = try RawClient(port: port)
        busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(started.wait())
        let stopped = Gate()
        DispatchQueue.global().async {
            server.shutdown()
            server.waitUntilShutdown()
            stopped.open()
        }
        #expect(idle.waitForClose(), "idle keep-alive connections close at once")
        #expect(throws: (any Error).self, "no new connections are accepted") {
            let late = try RawClient(port: port, receiveTimeout: 2)
            late.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try late.readResponse()
        }
        release.open()
        let response = try busy.readResponse()
        #expect(response.bodyText == "done")
        #expect(response.header("Connection") == "close")
        #expect(stopped.wait())
        #expect(server.connectionCount == 0)
    }
}

/// Hands a stream created on a worker thread to the test thread.
final class StreamHolder: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var stream: EventStream?
    private let ready = Gate()

    func set(_ stream: EventStream) {
        lock.withLock { self.stream = stream }
        ready.open()
    }

    func wait() -> EventStream? {
        guard ready.wait() else { return nil }
        return lock.withLock { stream }
    }
}

@Suite("Signals")
struct SignalTests {
    @Test func sigtermShutsDownGracefully() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoops = 1
        configuration.workerThreads = 1
        let server = HTTPServer(configuration: configuration, router: Router())
        server.installSignalHandlers()
        _ = try server.start()
        let stopped = Gate()
        DispatchQueue.global().async {
            server.waitUntilShutdown()
            stopped.open()
        }
        // SIGTERM is now ignored by default and routed to shutdown(), so raising it is safe here.
        // Dispatch registers its handler asynchronously: repeat until the signal is seen.
        var stoppedBySignal = false
        for _ in 0..<50 where !stoppedBySignal {
            kill(getpid(), SIGTERM)
            stoppedBySignal = stopped.wait(seconds: 0.2)
        }
        #expect(stoppedBySignal)
    }
}

@Suite("Listening sockets")
struct ListenerTests {
    @Test("a second server on a port already taken is refused, even though each server's own loops share the port")
    func takenPortRefused() throws {
        let router = Router()
        router.get("/hello", execution: .inline) { _ in .text(200, "hello") }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoops = 2
        let first = HTTPServer(configuration: configuration, router: router)
        let port = try first.start()
        defer {
            first.shutdown()
            first.waitUntilShutdown()
        }
        configuration.port = port
        let second = HTTPServer(configuration: configuration, router: router)
        #expect(throws: HTTPServerError.self) { try second.start() }
        let client = try RawClient(port: port)
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }
}
