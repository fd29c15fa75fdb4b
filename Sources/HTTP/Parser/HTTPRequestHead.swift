/// A parsed request line and header section, with the framing already decided.
package struct HTTPRequestHead: Sendable {
    package enum Framing: Sendable, Equatable {
        case none
        case length(Int)
        case chunked
    }

    package var method: String
    package var path: String
    package var query: String?
    package var minorVersion: Int
    package var headers: HTTPHeaders
    package var framing: Framing
    package var keepAlive: Bool
    package var expectContinue: Bool

    /// Parses the bytes of the head, from the request line up to (not including) the final CRLF
    /// CRLF, enforcing RFC 9112 strictly: anything ambiguous is an error, never a guess.
    package static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, maxBodyBytes: Int
    ) throws(HTTPParseError) -> HTTPRequestHead {
        var lines: [Range<Int>] = []
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D {
                guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else { throw .badRequest("bare CR") }
                lines.append(lineStart..<index)
                index += 2
                lineStart = index
            } else if bytes[index] == 0x0A {
                throw .badRequest("bare LF")
            } else {
                index += 1
            }
        }
        lines.append(lineStart..<bytes.count)
        guard let requestLine = lines.first else { throw .badRequest("missing request line") }
        var head = try parseRequestLine(UnsafeBufferPointer(rebasing: bytes[requestLine]))
        for line in lines.dropFirst() {
            let field = try parseField(UnsafeBufferPointer(rebasing: bytes[line]))
            head.headers.add(field.0, field.1)
        }
        try head.decideSemantics(maxBodyBytes: maxBodyBytes)
        return head
    }

    private static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPRequestHead {
        // request-line = method SP request-target SP HTTP-version (RFC 9112 §3): exactly two SPs.
        guard let firstSpace = line.firstIndex(of: 0x20) else { throw .badRequest("malformed request line") }
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: 0x20) else { throw .badRequest("malformed request line") }
        let methodBytes = line[0..<firstSpace]
        let target = line[(firstSpace + 1)..<secondSpace]
        let version = line[(secondSpace + 1)...]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(HTTPSyntax.isTokenByte) else {
            throw .badRequest("invalid method")
        }
        guard !target.isEmpty, target.allSatisfy(HTTPSyntax.isTargetByte) else {
            throw .badRequest("invalid request target")
        }
        guard version.count == 8, version.starts(with: "HTTP/1.".utf8) else {
            throw .badRequest("unsupported HTTP version")
        }
        let minor: Int
        switch version[version.startIndex + 7] {
        case UInt8(ascii: "1"): minor = 1
        case UInt8(ascii: "0"): minor = 0
        default: throw .badRequest("unsupported HTTP version")
        }
        let method = String(decoding: methodBytes, as: UTF8.self)
        let (path, query) = try splitTarget(target, method: method)
        return HTTPRequestHead(
            method: method, path: path, query: query, minorVersion: minor, headers: HTTPHeaders(),
            framing: .none, keepAlive: minor == 1, expectContinue: false)
    }

    /// origin-form, absolute-form (http/https with an authority), or `*` for OPTIONS only
    /// (RFC 9112 §3.2). authority-form (CONNECT) is refused: we are not a proxy.
    private static func splitTarget(
        _ target: Slice<UnsafeBufferPointer<UInt8>>, method: String
    ) throws(HTTPParseError) -> (String, String?) {
        var pathAndQuery = target
        if target.first == UInt8(ascii: "/") {
            // origin-form
        } else if target.count == 1, target.first == UInt8(ascii: "*") {
            guard method == "OPTIONS" else { throw .badRequest("asterisk-form is only valid for OPTIONS") }
            return ("*", nil)
        } else {
            let text = String(decoding: target, as: UTF8.self).lowercased()
            let schemeLength: Int
            if text.hasPrefix("http://") { schemeLength = 7 }
            else if text.hasPrefix("https://") { schemeLength = 8 }
            else { throw .badRequest("invalid request target") }
            let afterScheme = target[(target.startIndex + schemeLength)...]
            let authorityEnd = afterScheme.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? afterScheme.endIndex
            let authority = afterScheme[afterScheme.startIndex..<authorityEnd]
            guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")) else {
                throw .badRequest("invalid authority in absolute-form target")
            }
            pathAndQuery = afterScheme[authorityEnd...]
            if pathAndQuery.first != UInt8(ascii: "/") {
                let query = pathAndQuery.isEmpty ? nil : String(decoding: pathAndQuery.dropFirst(), as: UTF8.self)
                return ("/", query)
            }
        }
        if let mark = pathAndQuery.firstIndex(of: UInt8(ascii: "?")) {
            return (
                String(decoding: pathAndQuery[pathAndQuery.startIndex..<mark], as: UTF8.self),
                String(decoding: pathAndQuery[(mark + 1)...], as: UTF8.self)
            )
        }
        return (String(decoding: pathAndQuery, as: UTF8.self), nil)
    }

    private static func parseField(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> (String, String) {
        guard let first = line.first else { throw .badRequest("empty header line") }
        // RFC 9112 §5.2: obs-fold is rejected with 400.
        if first == 0x20 || first == 0x09 { throw .badRequest("obsolete line folding") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .badRequest("header line without colon") }
        let name = line[0..<colon]
        // RFC 9112 §5.1: no whitespace between field name and colon; names are tokens.
        guard !name.isEmpty, name.allSatisfy(HTTPSyntax.isTokenByte) else { throw .badRequest("invalid header name") }
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        let value = line[start..<end]
        guard value.allSatisfy(HTTPSyntax.isFieldValueByte) else { throw .badRequest("invalid character in header value") }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    private mutating func decideSemantics(maxBodyBytes: Int) throws(HTTPParseError) {
        // RFC 9112 §3.2: a client MUST send Host in HTTP/1.1; 400 when it is missing or repeated.
        let hosts = headers.values("Host")
        if minorVersion == 1, hosts.count != 1 { throw .badRequest("exactly one Host header is required") }
        if hosts.count > 1 { throw .badRequest("repeated Host header") }

        let connectionTokens = Self.listElements(headers.values("Connection")).map { $0.lowercased() }
        if connectionTokens.contains("close") {
            keepAlive = false
        } else if minorVersion == 0 {
            keepAlive = connectionTokens.contains("keep-alive")
        }

        let transferEncodings = headers.values("Transfer-Encoding")
        let contentLengths = headers.values("Content-Length")
        if !transferEncodings.isEmpty {
            // RFC 9112 §6.1: both present is a smuggling attempt; always refuse and close.
            guard contentLengths.isEmpty else { throw .badRequest("both Transfer-Encoding and Content-Length") }
            guard minorVersion == 1 else { throw .badRequest("Transfer-Encoding in HTTP/1.0") }
            let codings = Self.listElements(transferEncodings, keepEmpty: true).map { $0.lowercased() }
            if codings.contains(where: { $0 != "chunked" && !$0.isEmpty }) {
                throw .notImplemented("unsupported transfer coding")
            }
            guard codings == ["chunked"] else { throw .badRequest("invalid Transfer-Encoding") }
            framing = .chunked
        } else if !contentLengths.isEmpty {
            // RFC 9110 §8.6: repeated identical values may be accepted; differing ones are invalid.
            var length: Int?
            for element in Self.listElements(contentLengths, keepEmpty: true) {
                guard let value = Self.parseDecimal(element) else { throw .badRequest("invalid Content-Length") }
                if let length, length != value { throw .badRequest("conflicting Content-Length values") }
                length = value
            }
            guard let length else { throw .badRequest("invalid Content-Length") }
            guard length <= maxBodyBytes else { throw .bodyTooLarge }
            framing = length == 0 ? .none : .length(length)
        }

        let expectations = headers.values("Expect")
        if !expectations.isEmpty {
            guard expectations.count == 1, expectations[0].asciiCaseInsensitiveEquals("100-continue") else {
                throw .expectationFailed
            }
            // RFC 9110 §10.1.1: a server MUST ignore 100-continue in an HTTP/1.0 request.
            expectContinue = minorVersion == 1 && framing != .none
        }
    }

    private static func listElements(_ values: [String], keepEmpty: Bool = false) -> [String] {
        values.flatMap { value in
            value.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingASCIIWhitespace() }
        }.filter { keepEmpty || !$0.isEmpty }
    }

    private static func parseDecimal(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 18 else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
