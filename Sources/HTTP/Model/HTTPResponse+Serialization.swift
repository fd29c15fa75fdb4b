extension HTTPResponse {
    /// Serializes status line and headers (and the body for `.bytes`) for HTTP/1.`minorVersion`.
    ///
    /// Framing and connection headers from the handler are replaced by ours; a header whose name
    /// is not a token or whose value holds CR, LF or NUL is dropped (no response splitting).
    /// HEAD keeps `Content-Length` but sends no body (RFC 9110 §9.3.2); 1xx, 204 and 304 carry
    /// neither (RFC 9110 §8.6).
    func serialized(minorVersion: Int, isHEAD: Bool, close: Bool) -> [UInt8] {
        var out: [UInt8] = []
        let body = bodyBytes
        out.reserveCapacity(256 + headers.count * 48 + (isHEAD ? 0 : body.count))
        out.append(contentsOf: minorVersion == 0 ? "HTTP/1.0 ".utf8 : "HTTP/1.1 ".utf8)
        appendDecimal(status, to: &out)
        out.append(0x20)
        out.append(contentsOf: Self.reasonPhrase(status).utf8)
        out.append(contentsOf: "\r\n".utf8)
        for field in headers.fields where Self.isSafe(field) {
            if field.name.asciiCaseInsensitiveEquals("Content-Length")
                || field.name.asciiCaseInsensitiveEquals("Transfer-Encoding")
                || field.name.asciiCaseInsensitiveEquals("Connection")
            { continue }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        let isStream: Bool
        if case .stream = self.body { isStream = true } else { isStream = false }
        let bodyless = status < 200 || status == 204 || status == 304
        if isStream {
            if minorVersion >= 1 { out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8) }
        } else if !bodyless {
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(body.count, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        if close || (isStream && minorVersion == 0) {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if minorVersion == 0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        if !isHEAD && !bodyless && !isStream { out.append(contentsOf: body) }
        return out
    }

    private static func isSafe(_ field: (name: String, value: String)) -> Bool {
        HTTPSyntax.isToken(field.name)
            && !field.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

@inline(__always)
func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    guard value > 0 else {
        out.append(UInt8(ascii: "0"))
        return
    }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var remaining = value
    withUnsafeMutableBytes(of: &digits) { buffer in
        while remaining > 0 {
            buffer[count] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            count += 1
        }
        for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
    }
}
