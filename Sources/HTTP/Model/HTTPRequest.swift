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
        guard let contentType = headers["Content-Type"],
              HTTPRequest.mediaTypeIs(contentType, "application/x-www-form-urlencoded")
        else { throw .wrongContentType }
        return try HTTPParameters.parse(urlEncoded: body, plusAsSpace: true)
    }
}

extension HTTPRequest {
    /// Whether the media type of a Content-Type value (before any `;`, spaces and tabs trimmed)
    /// is `expected`, ASCII-case-insensitively. Works on the bytes: no substrings are made.
    static func mediaTypeIs(_ contentType: String, _ expected: String) -> Bool {
        let bytes = mediaType(contentType)
        return bytes.count == expected.utf8.count && asciiCaseInsensitiveEqualBytes(bytes, expected.utf8)
    }

    /// The media type of a Content-Type value: the bytes before any `;`, spaces and tabs trimmed.
    static func mediaType(_ contentType: String) -> Substring.UTF8View {
        var bytes = contentType.utf8[...]
        if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) { bytes = bytes[..<semicolon] }
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        return bytes
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
