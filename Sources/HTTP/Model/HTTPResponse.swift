/// A response produced by a handler. The server adds framing (`Content-Length` or chunked),
/// `Connection`, and the default security headers the handler did not set itself.
public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// A Server-Sent Events stream that stays open until either side closes it.
        case stream(EventStream)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: Int, headers: HTTPHeaders = .init(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = .bytes(body)
    }

    /// `application/json` bytes.
    public static func json(_ status: Int = 200, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: body)
    }

    /// `text/html; charset=utf-8`; gets the strict CSP unless the handler sets its own.
    public static func html(_ status: Int = 200, _ text: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8")]),
            body: Array(text.utf8))
    }

    public static func text(
        _ status: Int = 200, _ text: String, contentType: String = "text/plain; charset=utf-8"
    ) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", contentType)]), body: Array(text.utf8))
    }

    /// A redirect with an empty body and `Location`.
    public static func redirect(to location: String, status: Int = 302) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Location", location)]))
    }

    /// A `text/event-stream` response. `configure` runs on a worker thread once the response
    /// head is on its way; it (or any other thread holding the stream) may then `send` events.
    public static func eventStream(_ configure: @escaping @Sendable (EventStream) -> Void) -> HTTPResponse {
        var response = HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "text/event-stream"), ("Cache-Control", "no-store")]))
        response.body = .stream(EventStream(configure: configure))
        return response
    }

    /// Appends a `Set-Cookie` header (several cookies give several headers).
    public mutating func setCookie(_ cookie: SetCookie) {
        headers.add("Set-Cookie", cookie.headerValue)
    }

    /// The body bytes, empty for a stream.
    public var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }
}
