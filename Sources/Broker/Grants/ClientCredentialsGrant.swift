/// `client_credentials` (RFC 6749 §4.4) for partner APIs: confidential clients only, scopes
/// from the client's registered API scopes, an access token whose subject is the client itself,
/// no ID token and no refresh token (§4.4.3: "A refresh token SHOULD NOT be included").
///
/// Nothing is stored per token: the access token is a self-contained JWT, and only a revoked
/// one leaves a row (its `jti`, until expiry).
struct ClientCredentialsGrant: TokenGrant {
    var grantType: String { "client_credentials" }

    func issue(_ request: TokenRequest, client: Client, context: GrantContext) throws(OAuthError) -> TokenResponse {
        // §4.4: "The client credentials grant type MUST only be used by confidential clients."
        guard !client.isPublic else { throw .unauthorizedClient("client_credentials is only for confidential clients") }
        let registered = (client.allowedScopes ?? []).filter(Scopes.isAPIScope)
        let scopes: [String]
        if let requested = try request.scopes() {
            for scope in requested where !registered.contains(scope) {
                throw .invalidScope("\(scope) is not among the client's API scopes")
            }
            scopes = requested
        } else {
            scopes = registered.sorted()
        }
        let access = try context.tokens.accessToken(.init(subject: client.id, clientID: client.id, scopes: scopes), now: context.now)
        return TokenResponse(accessToken: access.token, expiresIn: context.tokens.lifetimes.accessToken, scopes: scopes)
    }
}
