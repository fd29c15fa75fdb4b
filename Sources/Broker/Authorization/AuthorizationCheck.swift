/// One named step of `/authorize` validation (node-oidc-provider style). A check reads the
/// parameters, fills the context, or throws the `OAuthError` the relying party (or, before the
/// redirect URI is trusted, the error page) receives. `AuthorizationPipeline` lists which
/// checks run, in which order.
public struct AuthorizationCheck: Sendable {
    public let name: String
    let body: @Sendable (inout AuthorizationContext) throws(OAuthError) -> Void

    init(_ name: String, _ body: @escaping @Sendable (inout AuthorizationContext) throws(OAuthError) -> Void) {
        self.name = name
        self.body = body
    }

    func run(_ context: inout AuthorizationContext) throws(OAuthError) { try body(&context) }
}
