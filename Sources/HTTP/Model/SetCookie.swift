/// A `Set-Cookie` header value builder (RFC 6265 §4.1) with safe defaults: `Path=/`,
/// `HttpOnly`, `SameSite=Lax`.
public struct SetCookie: Sendable {
    public enum SameSite: String, Sendable { case strict = "Strict", lax = "Lax", none = "None" }

    public var name: String
    public var value: String
    public var path: String
    /// Seconds; 0 or negative deletes the cookie; nil makes it a session cookie.
    public var maxAge: Int?
    public var httpOnly: Bool
    /// Forced on for `SameSite=None`, which browsers reject without it.
    public var secure: Bool
    public var sameSite: SameSite

    public init(
        name: String, value: String, path: String = "/", maxAge: Int? = nil, httpOnly: Bool = true,
        secure: Bool, sameSite: SameSite = .lax
    ) {
        self.name = name
        self.value = value
        self.path = path
        self.maxAge = maxAge
        self.httpOnly = httpOnly
        self.secure = secure
        self.sameSite = sameSite
    }

    /// The header value. Characters that are not allowed in a cookie name, value or path
    /// (controls, `;`, `,`, whitespace, DQUOTE, backslash) are dropped so nothing can inject
    /// attributes or headers.
    public var headerValue: String {
        var out = Self.clean(name) + "=" + Self.clean(value)
        out += "; Path=" + Self.clean(path)
        if let maxAge { out += "; Max-Age=\(max(maxAge, 0))" }
        if secure || sameSite == .none { out += "; Secure" }
        if httpOnly { out += "; HttpOnly" }
        out += "; SameSite=" + sameSite.rawValue
        return out
    }

    private static func clean(_ text: String) -> String {
        let kept = text.utf8.filter { byte in
            byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: ";") && byte != UInt8(ascii: ",")
                && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
