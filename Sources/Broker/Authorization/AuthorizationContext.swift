import JSON

/// What the `/authorize` checks read and fill in, one check after another. Once `client` and
/// `redirectURI` are set, the redirect URI is trusted and errors go back to the relying party.
public struct AuthorizationContext: Sendable {
    public let parameters: AuthorizationParameters
    let clients: ClientRegistry
    let configuration: BrokerConfiguration

    public internal(set) var client: Client?
    /// Set only after the redirect URI matched a registered one.
    public internal(set) var redirectURI: String?
    public internal(set) var responseMode: ResponseMode = .query
    public internal(set) var state: String?
    public internal(set) var scopes: [String] = []
    public internal(set) var nonce: String?
    public internal(set) var codeChallenge: String?
    public internal(set) var codeChallengeMethod: String?
    public internal(set) var prompt: [String] = []
    public internal(set) var maxAge: Int64?
    /// The `acr_values` the broker understands, in the relying party's order.
    public internal(set) var acrValues: [String] = []
    public internal(set) var loginHint: String?
    /// federation: the upstream identity provider the relying party named (`idp_hint`).
    public internal(set) var idpHint: String?
    public internal(set) var uiLocales: [String] = []
    /// The OIDC `claims` request (Core §5.5), normalised to compact JSON text.
    public internal(set) var claims: String?
    public internal(set) var claimsRequest: JSONValue?

    init(parameters: AuthorizationParameters, clients: ClientRegistry, configuration: BrokerConfiguration) {
        self.parameters = parameters
        self.clients = clients
        self.configuration = configuration
    }

    /// Where errors go once the redirect URI is trusted; nil before.
    public var responseTarget: AuthorizationResponseTarget? {
        guard client != nil, let redirectURI else { return nil }
        return AuthorizationResponseTarget(
            redirectURI: redirectURI, responseMode: responseMode, state: state, issuer: configuration.issuer)
    }
}

/// `response_mode` values the broker implements (OAuth 2.0 Multiple Response Type Encoding
/// Practices §2.1 and OAuth 2.0 Form Post Response Mode).
public enum ResponseMode: String, Sendable, CaseIterable {
    case query
    case formPost = "form_post"
}
