import JSON

/// The scopes the front channel offers and the claims each one releases (login-common.md,
/// "Claims released"), for the consent page, the push approval and discovery.
public enum ScopeCatalog {
    /// Every scope `/authorize` accepts; a client's `scope` metadata narrows it.
    public static let offered: [String] = ["openid", "profile", "pid", "offline_access"]

    /// Claims released under each scope (`openid` gives only `sub`; `ial`/`aal` always go in the
    /// ID token and are not listed here).
    public static let claimsByScope: [String: [String]] = [
        "openid": ["sub"],
        "profile": ["given_name", "family_name", "name", "given_name#th", "given_name#en", "family_name#th",
                    "family_name#en", "name#th", "birthdate"],
        "pid": ["pid"],
    ]

    /// Every claim the broker can release, for discovery's `claims_supported`.
    public static var supportedClaims: [String] {
        var seen = Set<String>()
        let all = ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid", "ial", "aal"]
            + offered.flatMap { claimsByScope[$0] ?? [] }
        return all.filter { seen.insert($0).inserted }
    }

    /// The claim names a request asks for: by its scopes, then by its `claims` parameter (OIDC
    /// Core §5.5), without duplicates, in a stable order. Used to show the citizen what the
    /// relying party will learn.
    public static func claimNames(scopes: [String], claimsRequest: JSONValue?) -> [String] {
        var names = scopes.flatMap { claimsByScope[$0] ?? [] }
        for member in ["userinfo", "id_token"] {
            if let requested = claimsRequest?[member]?.objectValue { names += requested.keys.sorted() }
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
