extension HTTPRequest {
    /// Cookies from every `Cookie:` header (RFC 6265 §5.4 `name=value; name=value`).
    ///
    /// Pairs without `=` or with a non-token name are skipped; surrounding DQUOTEs are removed
    /// from a value; when a name repeats, the first one wins (the user agent sends the most
    /// specific cookie first, RFC 6265 §5.4 step 2).
    public var cookies: [String: String] {
        var result: [String: String] = [:]
        for header in headers.values("Cookie") {
            for part in header.split(separator: ";") {
                let pair = String(part).trimmingASCIIWhitespace()
                guard let eq = pair.firstIndex(of: "=") else { continue }
                let name = String(pair[..<eq])
                guard !name.isEmpty, name.utf8.allSatisfy(HTTPSyntax.isTokenByte) else { continue }
                var value = Substring(pair[pair.index(after: eq)...])
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = value.dropFirst().dropLast()
                }
                if result[name] == nil { result[name] = String(value) }
            }
        }
        return result
    }
}
