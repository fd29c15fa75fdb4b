import Testing
@testable import HTTP

@Suite("Router and server-made responses")
struct RouterTests {
    struct Failure: Error {}

    static func makeRouter() -> Router {
        let router = Router()
        router.get("/officer/v1/enrollments/{id}/qr.svg") { request in
            .text(200, request.pathParameters["id"] ?? "-", contentType: "image/svg+xml")
        }
        router.post("/officer/v1/enrollments") { _ in .json(201, Array("{}".utf8)) }
        router.get("/page") { _ in .html(200, "<p>hi</p>") }
        router.get("/throws") { _ in throw Failure() }
        router.get("/custom-csp") { _ in
            var response = HTTPResponse.html(200, "<form>")
            response.headers["Content-Security-Policy"] = "default-src 'none'; form-action https://rp.example"
            return response
        }
        return router
    }

    @Test func pathParametersArePercentDecoded() {
        let response = Self.makeRouter().handle(HTTPRequest(method: "GET", path: "/officer/v1/enrollments/a%20b/qr.svg"))
        #expect(response.status == 200)
        #expect(response.bodyBytes == Array("a b".utf8))
    }

    struct Miss: CustomTestStringConvertible, Sendable {
        let name: String
        let method: String
        let path: String
        let status: Int
        let error: String
        var testDescription: String { name }
    }

    @Test("errors are JSON", arguments: [
        Miss(name: "unknown path", method: "GET", path: "/nope", status: 404, error: "not_found"),
        Miss(name: "wrong method", method: "DELETE", path: "/officer/v1/enrollments", status: 405, error: "method_not_allowed"),
        Miss(name: "too many segments", method: "GET", path: "/officer/v1/enrollments/1/qr.svg/x", status: 404, error: "not_found"),
        Miss(name: "empty parameter", method: "GET", path: "/officer/v1/enrollments//qr.svg", status: 404, error: "not_found"),
        Miss(name: "bad escape in parameter", method: "GET", path: "/officer/v1/enrollments/%zz/qr.svg", status: 400, error: "invalid_request"),
        Miss(name: "throwing handler", method: "GET", path: "/throws", status: 500, error: "server_error"),
    ])
    func errorsAreJSON(_ miss: Miss) {
        let response = Self.makeRouter().handle(HTTPRequest(method: miss.method, path: miss.path))
        #expect(response.status == miss.status)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.headers["Cache-Control"] == "no-store")
        let body = String(decoding: response.bodyBytes, as: UTF8.self)
        #expect(body.hasPrefix("{\"error\":\"\(miss.error)\""))
        #expect(!body.contains("Failure"), "no internal detail leaks")
    }

    @Test func methodNotAllowedListsAllow() {
        let response = Self.makeRouter().handle(HTTPRequest(method: "PUT", path: "/page"))
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD")
    }

    @Test func headFallsBackToGet() {
        #expect(Self.makeRouter().handle(HTTPRequest(method: "HEAD", path: "/page")).status == 200)
    }

    @Test func htmlGetsStrictSecurityHeaders() {
        let response = Self.makeRouter().handle(HTTPRequest(method: "GET", path: "/page"))
        #expect(response.headers["Content-Security-Policy"] == HTTPResponse.htmlContentSecurityPolicy)
        #expect(response.headers["X-Frame-Options"] == "DENY")
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        #expect(response.headers["Referrer-Policy"] == "no-referrer")
    }

    @Test func handlerMayOverrideCSP() {
        let response = Self.makeRouter().handle(HTTPRequest(method: "GET", path: "/custom-csp"))
        #expect(response.headers.values("Content-Security-Policy") == ["default-src 'none'; form-action https://rp.example"])
    }

    @Test func serializationFramesAndDropsUnsafeHeaders() {
        var response = HTTPResponse.text(200, "hello")
        response.headers.add("X-Evil", "a\r\nSet-Cookie: x=1")
        response.headers.add("Content-Length", "999")
        let wire = String(decoding: response.serialized(minorVersion: 1, isHEAD: false, close: true), as: UTF8.self)
        #expect(wire.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(wire.contains("Content-Length: 5\r\n"))
        #expect(!wire.contains("999"))
        #expect(!wire.contains("X-Evil"))
        #expect(wire.contains("Connection: close\r\n"))
        #expect(wire.hasSuffix("\r\n\r\nhello"))
        let head = String(decoding: response.serialized(minorVersion: 1, isHEAD: true, close: false), as: UTF8.self)
        #expect(head.contains("Content-Length: 5\r\n"))
        #expect(head.hasSuffix("\r\n\r\n"))
    }

    @Test func eventStreamFormatting() {
        let stream = EventStream()
        let closed = Gate()
        stream.onClose { closed.open() }
        #expect(stream.send(event: "status\nx", data: "line1\nline2", id: "7"))
        let (bytes, finished) = stream.drain()
        #expect(String(decoding: bytes, as: UTF8.self) == "event: statusx\nid: 7\ndata: line1\ndata: line2\n\n")
        #expect(!finished)
        stream.close()
        #expect(closed.wait())
        #expect(stream.isClosed)
        #expect(!stream.send(data: "late"))
    }
}
