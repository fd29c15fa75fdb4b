extension AuthorizationCheck {
    /// `scope` contains `openid` (OIDC Core §3.1.2.1) and only scopes the broker offers and the
    /// client registered (RFC 6749 §3.3: `invalid_scope`).
    static let scope = AuthorizationCheck("scope") { context throws(OAuthError) in
        guard let value = try context.parameters.single("scope") else {
            throw .invalidScope("scope is required and must contain openid")
        }
        var scopes: [String] = []
        for scope in value.split(separator: " ").map(String.init) where !scopes.contains(scope) {
            scopes.append(scope)
        }
        guard scopes.contains("openid") else { throw .invalidScope("scope must contain openid") }
        let allowed = context.client?.allowedScopes
        for scope in scopes {
            guard ScopeCatalog.offered.contains(scope) else { throw .invalidScope("the scope \(scope) is not offered") }
            guard allowed?.contains(scope) ?? true else {
                throw .invalidScope("this client may not ask for the scope \(scope)")
            }
        }
        context.scopes = scopes
    }
}
