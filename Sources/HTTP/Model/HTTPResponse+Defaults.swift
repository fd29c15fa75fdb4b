extension HTTPResponse {
    static let htmlContentSecurityPolicy =
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// Adds the default security headers the handler did not set itself.
    func withSecurityDefaults() -> HTTPResponse {
        var response = self
        if !response.headers.contains("X-Content-Type-Options") {
            response.headers.add("X-Content-Type-Options", "nosniff")
        }
        if !response.headers.contains("Referrer-Policy") {
            response.headers.add("Referrer-Policy", "no-referrer")
        }
        let contentType = response.headers["Content-Type"] ?? ""
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            String($0).trimmingASCIIWhitespace().lowercased()
        } ?? ""
        let isJSON = mediaType == "application/json" || mediaType.hasSuffix("+json")
        let isHTML = mediaType == "text/html"
        if (isJSON || isHTML), !response.headers.contains("Cache-Control") {
            response.headers.add("Cache-Control", "no-store")
        }
        if isHTML {
            if !response.headers.contains("Content-Security-Policy") {
                response.headers.add("Content-Security-Policy", Self.htmlContentSecurityPolicy)
            }
            if !response.headers.contains("X-Frame-Options") {
                response.headers.add("X-Frame-Options", "DENY")
            }
        }
        return response
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
