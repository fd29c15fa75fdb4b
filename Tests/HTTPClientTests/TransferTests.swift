import Foundation
import Testing
@testable import HTTPClient

/// Real transfers against `TestServer` on 127.0.0.1; nothing leaves the machine.
@Suite("Transfers")
struct TransferTests {
    let server: TestServer

    init() throws {
        server = try TestServer()
    }

    func client(_ adjust: (inout HTTPClientConfiguration) -> Void = { _ in }) -> HTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.policy = .developmentLoopback
        adjust(&configuration)
        return HTTPClient(configuration: configuration)
    }

    /// Expects `body` to throw an `OutboundError` matching `expected`.
    func expectError(_ expected: (OutboundError) -> Bool, _ body: () throws -> Void,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("no error thrown", sourceLocation: sourceLocation)
        } catch let error as OutboundError {
            #expect(expected(error), "got \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("GET returns status, body and case-insensitive headers")
    func get() throws {
        let response = try client().send(OutboundRequest(url: server.base + "/hello"))
        #expect(response.status == 200)
        #expect(response.body == Array("hello".utf8))
        #expect(response.header("x-test") == "yes")
        #expect(response.header("CONTENT-TYPE") == "text/plain")
        #expect(response.header("X-Missing") == nil)
    }

    @Test("repeated headers are all kept, in order")
    func repeatedHeaders() throws {
        let response = try client().send(OutboundRequest(url: server.base + "/multi"))
        #expect(response.headers.filter { $0.0.lowercased() == "x-multi" }.map(\.1) == ["a", "b"])
        #expect(response.header("x-multi") == "a")
        #expect(response.header("x-empty") == "")
    }

    @Test("a name goes through our resolver and the pinned addresses")
    func byName() throws {
        let port = server.port
        let response = try client().send(OutboundRequest(url: "http://localhost:\(port)/hello"))
        #expect(response.status == 200)
    }

    @Test("sequential requests reuse one connection")
    func connectionReuse() throws {
        let client = client()
        for _ in 0..<4 {
            let response = try client.send(OutboundRequest(url: server.base + "/hello"))
            #expect(response.status == 200)
        }
        #expect(server.acceptedConnections == 1)
    }

    @Test("POST and PUT send the body; other methods reach the server")
    func methodsAndBodies() throws {
        let client = client()
        let payload = Array("{\"a\":1}".utf8) + [0, 255] + [UInt8](repeating: 7, count: 5000)
        let post = try client.send(OutboundRequest(
            method: "POST", url: server.base + "/echo", headers: [("Content-Type", "application/json")], body: payload))
        #expect(post.body == Array("POST ".utf8) + payload)
        let put = try client.send(OutboundRequest(method: "PUT", url: server.base + "/echo", body: [1, 2, 3]))
        #expect(put.body == Array("PUT ".utf8) + [1, 2, 3])
        let delete = try client.send(OutboundRequest(method: "DELETE", url: server.base + "/echo"))
        #expect(delete.body == Array("DELETE ".utf8))
        let emptyPost = try client.send(OutboundRequest(method: "POST", url: server.base + "/echo"))
        #expect(emptyPost.body == Array("POST ".utf8))
        let head = try client.send(OutboundRequest(method: "HEAD", url: server.base + "/hello"))
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test("a server that never answers hits the request's total timeout")
    func timeout() {
        let client = client { $0.totalTimeout = 60 }
        expectError({ $0 == .timeout }) {
            _ = try client.send(OutboundRequest(url: server.base + "/slow", timeout: 0.3))
        }
    }

    @Test("the configured total timeout applies when the request sets none")
    func configuredTimeout() {
        let client = client { $0.totalTimeout = 0.3 }
        expectError({ $0 == .timeout }) { _ = try client.send(OutboundRequest(url: server.base + "/slow")) }
    }

    @Test("bodies past the cap abort the transfer", arguments: ["/huge", "/huge-unannounced"])
    func bodyCap(_ path: String) {
        let client = client { $0.maxResponseBytes = 64 << 10 }
        expectError({ $0 == .responseTooLarge }) { _ = try client.send(OutboundRequest(url: server.base + path)) }
    }

    @Test("the default cap is 1 MiB and a 4 MiB body passes it only when raised")
    func defaultCap() throws {
        expectError({ $0 == .responseTooLarge }) { _ = try client().send(OutboundRequest(url: server.base + "/huge")) }
        let roomy = client { $0.maxResponseBytes = 8 << 20 }
        #expect(try roomy.send(OutboundRequest(url: server.base + "/huge")).body.count == 4 << 20)
    }

    @Test("the cap is inclusive: a body of exactly the cap is fine, one byte over is not")
    func capBoundary() throws {
        let exact = client { $0.maxResponseBytes = 5 }
        #expect(try exact.send(OutboundRequest(url: server.base + "/hello")).body.count == 5)
        let under = client { $0.maxResponseBytes = 4 }
        expectError({ $0 == .responseTooLarge }) { _ = try under.send(OutboundRequest(url: server.base + "/hello")) }
    }

    @Test("redirects are returned as-is by default")
    func redirectNotFollowed() throws {
        let response = try client().send(OutboundRequest(url: server.base + "/redirect"))
        #expect(response.status == 302)
        #expect(response.header("location") == "/hello")
    }

    @Test("followRedirects follows, re-checking every hop")
    func redirectFollowed() throws {
        let client = client { $0.followRedirects = true }
        let response = try client.send(OutboundRequest(url: server.base + "/redirect"))
        #expect(response.status == 200 && response.body == Array("hello".utf8))
        expectError({ if case .forbiddenAddress = $0 { true } else { false } }) {
            _ = try client.send(OutboundRequest(url: server.base + "/redirect-private"))
        }
        expectError({ if case .transport = $0 { true } else { false } }) {
            _ = try client.send(OutboundRequest(url: server.base + "/loop"))
        }
    }

    @Test("303 turns a POST into a body-less GET; credentials stay on their origin")
    func redirectSemantics() throws {
        let client = client { $0.followRedirects = true }
        let seeOther = try client.send(OutboundRequest(
            method: "POST", url: server.base + "/see-other", headers: [("Authorization", "Bearer t")], body: [1, 2]))
        #expect(seeOther.body == Array("GET ".utf8))
        #expect(seeOther.header("x-seen-authorization") == "Bearer t")
        let crossOrigin = try client.send(OutboundRequest(
            method: "POST", url: server.base + "/redirect-localhost", headers: [("Authorization", "Bearer t")], body: [9]))
        #expect(crossOrigin.body == Array("POST ".utf8) + [9])
        #expect(crossOrigin.header("x-seen-authorization") == "none")
    }

    @Test("a closed loopback port fails to connect, well before the timeout")
    func closedPort() throws {
        let closed = try TestServer()
        let url = closed.base + "/hello"
        closed.stop()
        let client = client {
            $0.connectTimeout = 60
            $0.totalTimeout = 60
        }
        expectError({ if case .connectFailed = $0 { true } else { false } }) {
            _ = try client.send(OutboundRequest(url: url))
        }
    }

    @Test("https to a server that does not speak TLS is a TLS error")
    func tlsFailure() {
        let client = client()
        expectError({ if case .tls = $0 { true } else { false } }) {
            _ = try client.send(OutboundRequest(url: "https://127.0.0.1:\(server.port)/hello"))
        }
    }

    @Test("production never reaches the loopback server")
    func productionRefusesLoopback() {
        var configuration = HTTPClientConfiguration()
        configuration.policy = .production
        let client = HTTPClient(configuration: configuration)
        expectError({ $0 == .insecureScheme }) { _ = try client.send(OutboundRequest(url: server.base + "/hello")) }
        expectError({ if case .forbiddenAddress = $0 { true } else { false } }) {
            _ = try client.send(OutboundRequest(url: "https://127.0.0.1:\(server.port)/hello"))
        }
        expectError({ if case .forbiddenAddress = $0 { true } else { false } }) {
            _ = try client.send(OutboundRequest(url: "https://localhost:\(server.port)/hello"))
        }
        #expect(server.acceptedConnections == 0)
    }

    @Test("the socket callback refuses an address the policy did not approve")
    func unapprovedSocketRefused() throws {
        let url = try CurlURL(server.base + "/hello")
        let approvedElsewhere = try #require(IPAddress.literal("127.0.0.2"))
        let easy = try #require(CurlEasy())
        expectError({ if case .forbiddenAddress = $0 { true } else { false } }) {
            _ = try easy.perform(
                OutboundRequest(url: server.base + "/hello"), to: Destination(url: url, addresses: [approvedElsewhere]),
                configuration: HTTPClientConfiguration())
        }
        #expect(server.acceptedConnections == 0)
    }

    @Test("methods and headers that could split the request are refused before sending", arguments: [
        OutboundRequest(method: "GET /x HTTP/1.1\r\nX:", url: "http://127.0.0.1:1/"),
        OutboundRequest(method: "", url: "http://127.0.0.1:1/"),
        OutboundRequest(url: "http://127.0.0.1:1/", headers: [("X-A", "1\r\nX-Injected: 1")]),
        OutboundRequest(url: "http://127.0.0.1:1/", headers: [("Bad Name", "1")]),
        OutboundRequest(url: "http://127.0.0.1:1/", headers: [("X-Nul", "a\u{0}b")]),
    ])
    func splittingRefused(_ request: OutboundRequest) {
        expectError({ if case .invalidURL = $0 { true } else { false } }) { _ = try client().send(request) }
        #expect(server.acceptedConnections == 0)
    }

    @Test("out-of-range timeouts are refused, not passed to libcurl", arguments: [0, -1, Double.nan, Double.infinity])
    func badTimeout(_ seconds: Double) {
        expectError({ if case .transport = $0 { true } else { false } }) {
            _ = try client().send(OutboundRequest(url: server.base + "/hello", timeout: seconds))
        }
    }

    @Test("many threads may send at once")
    func concurrentSends() {
        let client = client()
        let url = server.base + "/hello"
        let results = ResultBox(count: 32)
        DispatchQueue.concurrentPerform(iterations: 32) { index in
            results.set(index, (try? client.send(OutboundRequest(url: url)))?.status ?? -1)
        }
        #expect(results.values == Array(repeating: 200, count: 32))
    }
}

/// Collects results from concurrentPerform. `@unchecked Sendable`: `values` is only touched
/// under `lock`.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int]

    init(count: Int) { storage = Array(repeating: 0, count: count) }

    func set(_ index: Int, _ value: Int) { lock.withLock { storage[index] = value } }
    var values: [Int] { lock.withLock { storage } }
}
