import Testing
@testable import HTTP

@Suite("Request head parsing (RFC 9112 §3, §5, §6)")
struct RequestHeadParserTests {
    static func parse(_ text: String, maxBody: Int = 1 << 20) throws(HTTPParseError) -> HTTPRequestHead {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(HTTPParseError) in
            try HTTPRequestHead.parse(buffer, maxBodyBytes: maxBody)
        }
    }

    struct Rejected: CustomTestStringConvertible, Sendable {
        let name: String
        let head: String
        let error: HTTPParseError
        var testDescription: String { name }
    }

    static let rejected: [Rejected] = [
        .init(name: "CL and TE together", head: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked", error: .badRequest("both Transfer-Encoding and Content-Length")),
        .init(name: "TE before CL", head: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3", error: .badRequest("both Transfer-Encoding and Content-Length")),
        .init(name: "differing Content-Length headers", head: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4", error: .badRequest("conflicting Content-Length values")),
        .init(name: "differing Content-Length list", head: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4", error: .badRequest("conflicting Content-Length values")),
        .init(name: "non-digit Content-Length", head: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3a", error: .badRequest("invalid Content-Length")),
        .init(name: "signed Content-Length", head: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3", error: .badRequest("invalid Content-Length")),
        .init(name: "empty Content-Length", head: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: ", error: .badRequest("invalid Content-Length")),
        .init(name: "overflowing Content-Length", head: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999", error: .badRequest("invalid Content-Length")),
        .init(name: "Content-Length over the limit", head: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000", error: .bodyTooLarge),
        .init(name: "obs-fold", head: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n  folded", error: .badRequest("obsolete line folding")),
        .init(name: "obs-fold with tab", head: "GET / HTTP/1.1\r\nHost: a\r\n\tX-A: b", error: .badRequest("obsolete line folding")),
        .init(name: "three spaces in request line", head: "GET / HTTP/1.1 x\r\nHost: a", error: .badRequest("unsupported HTTP version")),
        .init(name: "double space in request line", head: "GET  / HTTP/1.1\r\nHost: a", error: .badRequest("invalid request target")),
        .init(name: "missing version", head: "GET /\r\nHost: a", error: .badRequest("malformed request line")),
        .init(name: "bad method token", head: "G(T / HTTP/1.1\r\nHost: a", error: .badRequest("invalid method")),
        .init(name: "HTTP/2.0", head: "GET / HTTP/2.0\r\nHost: a", error: .badRequest("unsupported HTTP version")),
        .init(name: "lowercase version", head: "GET / http/1.1\r\nHost: a", error: .badRequest("unsupported HTTP version")),
        .init(name: "HTTP/1.12", head: "GET / HTTP/1.12\r\nHost: a", error: .badRequest("unsupported HTTP version")),
        .init(name: "authority-form", head: "CONNECT example.com:443 HTTP/1.1\r\nHost: a", error: .badRequest("invalid request target")),
        .init(name: "absolute-form without authority", head: "GET http:///x HTTP/1.1\r\nHost: a", error: .badRequest("invalid authority in absolute-form target")),
        .init(name: "absolute-form with userinfo", head: "GET http://u@h/x HTTP/1.1\r\nHost: a", error: .badRequest("invalid authority in absolute-form target")),
        .init(name: "asterisk-form on GET", head: "GET * HTTP/1.1\r\nHost: a", error: .badRequest("asterisk-form is only valid for OPTIONS")),
        .init(name: "fragment in target", head: "GET /a#b HTTP/1.1\r\nHost: a", error: .badRequest("invalid request target")),
        .init(name: "non-token header name", head: "GET / HTTP/1.1\r\nHost: a\r\nX(A): b", error: .badRequest("invalid header name")),
        .init(name: "space before colon", head: "GET / HTTP/1.1\r\nHost: a\r\nX-A : b", error: .badRequest("invalid header name")),
        .init(name: "empty header name", head: "GET / HTTP/1.1\r\nHost: a\r\n: b", error: .badRequest("invalid header name")),
        .init(name: "header without colon", head: "GET / HTTP/1.1\r\nHost: a\r\nX-A b", error: .badRequest("header line without colon")),
        .init(name: "bare CR in value", head: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc", error: .badRequest("bare CR")),
        .init(name: "bare LF in value", head: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\nc", error: .badRequest("bare LF")),
        .init(name: "NUL in value", head: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c", error: .badRequest("invalid character in header value")),
        .init(name: "control byte in value", head: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{1}c", error: .badRequest("invalid character in header value")),
        .init(name: "DEL in value", head: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7f}c", error: .badRequest("invalid character in header value")),
        .init(name: "missing Host in HTTP/1.1", head: "GET / HTTP/1.1\r\nX-A: b", error: .badRequest("exactly one Host header is required")),
        .init(name: "two Host headers", head: "GET / HTTP/1.1\r\nHost: a\r\nHost: b", error: .badRequest("exactly one Host header is required")),
        .init(name: "unknown transfer coding", head: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip", error: .notImplemented("unsupported transfer coding")),
        .init(name: "gzip then chunked", head: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked", error: .notImplemented("unsupported transfer coding")),
        .init(name: "chunked twice", head: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked", error: .badRequest("invalid Transfer-Encoding")),
        .init(name: "empty transfer coding", head: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ", error: .badRequest("invalid Transfer-Encoding")),
        .init(name: "chunked in HTTP/1.0", head: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked", error: .badRequest("Transfer-Encoding in HTTP/1.0")),
        .init(name: "unknown expectation", head: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 200-ok", error: .expectationFailed),
    ]

    @Test("rejects", arguments: rejected)
    func rejects(_ testCase: Rejected) {
        #expect(throws: testCase.error) { try Self.parse(testCase.head) }
    }

    @Test func parsesOriginFormWithQueryAndHeaders() throws {
        let head = try Self.parse("GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: example\r\nX-Multi: 1\r\nx-multi:  2 ")
        #expect(head.method == "GET")
        #expect(head.path == "/a/b")
        #expect(head.query == "x=1&y=%20")
        #expect(head.headers.values("X-MULTI") == ["1", "2"])
        #expect(head.keepAlive)
        #expect(head.framing == .none)
    }

    @Test func parsesAbsoluteForm() throws {
        let head = try Self.parse("GET https://example.com/p?q HTTP/1.1\r\nHost: example.com")
        #expect(head.path == "/p")
        #expect(head.query == "q")
    }

    @Test func acceptsRepeatedIdenticalContentLength() throws {
        let head = try Self.parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5, 5")
        #expect(head.framing == .length(5))
    }

    @Test func chunkedIsCaseInsensitive() throws {
        #expect(try Self.parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked").framing == .chunked)
    }

    struct KeepAliveCase: CustomTestStringConvertible, Sendable {
        let name: String
        let head: String
        let keepAlive: Bool
        var testDescription: String { name }
    }

    @Test("keep-alive decision", arguments: [
        KeepAliveCase(name: "1.1 default", head: "GET / HTTP/1.1\r\nHost: a", keepAlive: true),
        KeepAliveCase(name: "1.1 close", head: "GET / HTTP/1.1\r\nHost: a\r\nConnection: Close", keepAlive: false),
        KeepAliveCase(name: "1.0 default", head: "GET / HTTP/1.0", keepAlive: false),
        KeepAliveCase(name: "1.0 keep-alive", head: "GET / HTTP/1.0\r\nConnection: keep-alive", keepAlive: true),
    ])
    func keepAlive(_ testCase: KeepAliveCase) throws {
        #expect(try Self.parse(testCase.head).keepAlive == testCase.keepAlive)
    }

    @Test func expectContinueOnlyWithBodyInHTTP11() throws {
        #expect(try Self.parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 100-Continue").expectContinue)
        #expect(try !Self.parse("POST / HTTP/1.0\r\nContent-Length: 1\r\nExpect: 100-continue").expectContinue)
    }
}
