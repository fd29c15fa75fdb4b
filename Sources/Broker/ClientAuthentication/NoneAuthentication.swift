/// `none`: a public client (RFC 6749 §2.1) names itself with `client_id` and proves nothing;
/// PKCE protects its codes instead.
struct NoneAuthentication: ClientAuthenticationMethod {
    var name: String { "none" }
    func isPresented(in credentials: ClientCredentials) -> Bool { false }
    func claimedClientID(_ credentials: ClientCredentials) -> String? { credentials.clientID }
    func authenticate(_ credentials: ClientCredentials, as client: Client, context: ClientAuthenticationContext) throws(OAuthError) {}
}
