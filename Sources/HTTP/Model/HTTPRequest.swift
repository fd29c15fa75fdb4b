/// A fully received request, as handed to a handler.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The raw (still percent-encoded) path without the query, e.g. "/a/b".
    public var path: String
    /// The raw query string without '?', nil when the target had no '?'.
    public var query: String?
    public var headers: HTTPHeaders
    /// The body exactly as received (chunked framing already removed).
    public var body: [UInt8]
    /// The peer's IP address, "127.0.0.1" or "::1" style.
    public var remoteAddress: String
    /// Filled by the router from `{name}` segments; values are percent-decoded.
    public var pathParameters: [String: String] = [:]

    public init(
        method: String, path: String, query: String? = nil, headers: HTTPHeaders = .init(),
        body: [UInt8] = [], remoteAddress: String = "127.0.0.1"
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The query string decoded as application/x-www-form-urlencoded (`+` is a space, as
    /// RFC 6749 Appendix B requires for OAuth query parameters). No query gives no parameters.
    public func queryParameters() throws(HTTPParameterError) -> HTTPParameters {
        guard let query else { return HTTPParameters(decodedPairs: []) }
        return try HTTPParameters.parse(urlEncoded: query.utf8, plusAsSpace: true)
    }

    /// The body decoded as a form; throws `.wrongContentType` unless the media type is
    /// `application/x-www-form-urlencoded` (parameters such as charset are allowed).
    public func formParameters() throws(HTTPParameterError) -> HTTPParameters {
        guard let contentType = headers["Content-Type"] else { throw .wrongContentType }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            String($0).trimmingASCIIWhitespace()
        } ?? ""
        guard mediaType.asciiCaseInsensitiveEquals("application/x-www-form-urlencoded") else {
            throw .wrongContentType
        }
        return try HTTPParameters.parse(urlEncoded: body, plusAsSpace: true)
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if start == 0 && end == bytes.count { return self }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
