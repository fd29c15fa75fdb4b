extension HTTPResponse {
    static let htmlContentSecurityPolicy =
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// Adds the default security headers the handler did not set itself.
    func withSecurityDefaults() -> HTTPResponse {
        // One pass over the fields instead of a lookup per default: this runs on every response.
        var present = PresentHeaders()
        var contentType: String?
        for field in headers.fields {
            let name = field.name.utf8
            switch name.count {
            case 12 where field.name.asciiCaseInsensitiveEquals("Content-Type"):
                if contentType == nil { contentType = field.value }
            case 13 where field.name.asciiCaseInsensitiveEquals("Cache-Control"):
                present.cacheControl = true
            case 15 where field.name.asciiCaseInsensitiveEquals("Referrer-Policy"):
                present.referrerPolicy = true
            case 15 where field.name.asciiCaseInsensitiveEquals("X-Frame-Options"):
                present.frameOptions = true
            case 22 where field.name.asciiCaseInsensitiveEquals("X-Content-Type-Options"):
                present.contentTypeOptions = true
            case 23 where field.name.asciiCaseInsensitiveEquals("Content-Security-Policy"):
                present.contentSecurityPolicy = true
            default:
                break
            }
        }
        var response = self
        if !present.contentTypeOptions { response.headers.add("X-Content-Type-Options", "nosniff") }
        if !present.referrerPolicy { response.headers.add("Referrer-Policy", "no-referrer") }
        let kind = Self.mediaKind(contentType ?? "")
        if kind != .other, !present.cacheControl { response.headers.add("Cache-Control", "no-store") }
        if kind == .html {
            if !present.contentSecurityPolicy {
                response.headers.add("Content-Security-Policy", Self.htmlContentSecurityPolicy)
            }
            if !present.frameOptions { response.headers.add("X-Frame-Options", "DENY") }
        }
        return response
    }

    private struct PresentHeaders {
        var contentTypeOptions = false
        var referrerPolicy = false
        var cacheControl = false
        var contentSecurityPolicy = false
        var frameOptions = false
    }

    enum MediaKind { case json, html, other }

    /// Classifies a Content-Type value by its media type (parameters ignored, case-insensitive):
    /// `application/json` and any `+json` suffix are JSON, `text/html` is HTML.
    static func mediaKind(_ contentType: String) -> MediaKind {
        // Runs on every response: trim once, then compare bytes.
        let mediaType = HTTPRequest.mediaType(contentType)
        func equals(_ expected: String) -> Bool {
            mediaType.count == expected.utf8.count && asciiCaseInsensitiveEqualBytes(mediaType, expected.utf8)
        }
        if equals("application/json")
            || (mediaType.count >= 5 && asciiCaseInsensitiveEqualBytes(mediaType.suffix(5), "+json".utf8))
        {
            return .json
        }
        return equals("text/html") ? .html : .other
    }

    /// A JSON error the server produces itself: `{"error":…,"error_description":…}`.
    static func error(_ status: Int, _ code: String, _ description: String) -> HTTPResponse {
        var json = "{\"error\":\"" + jsonEscaped(code) + "\""
        if !description.isEmpty { json += ",\"error_description\":\"" + jsonEscaped(description) + "\"" }
        json += "}"
        return .json(status, Array(json.utf8))
    }

    /// The detail-free 500 given when a handler throws.
    static var serverError: HTTPResponse { .error(500, "server_error", "") }

    private static func jsonEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
