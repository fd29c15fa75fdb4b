/// The scopes the broker understands (OIDC Core §5.4 and the Phisut claims of DESIGN.md).
///
/// A scope token without a dot is a user scope and must be one the broker offers; a scope with a
/// dot (`partner.read`) names a partner API and is meaningful only to `client_credentials`
/// clients, which register the API scopes they use in their `scope` metadata.
public enum Scopes {
    /// User scopes the broker offers: `openid profile pid offline_access`.
    public static let offered: Set<String> = ["openid", "profile", "pid", "offline_access"]

    /// Whether `scope` names a partner API rather than user claims.
    public static func isAPIScope(_ scope: String) -> Bool { scope.utf8.contains(UInt8(ascii: ".")) }

    /// Splits a space-separated scope parameter (RFC 6749 §3.3), refusing empty tokens and
    /// characters outside NQCHAR. Duplicates collapse.
    public static func parse(_ text: String) -> [String]? {
        var scopes: [String] = []
        for token in text.split(separator: " ", omittingEmptySubsequences: false) {
            guard !token.isEmpty, token.utf8.allSatisfy({ $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) })
            else { return nil }
            let scope = String(token)
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        return scopes
    }
}
