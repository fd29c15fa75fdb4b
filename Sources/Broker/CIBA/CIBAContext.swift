import JSON
import Storage

/// What the `/bc-authorize` checks read and fill in, one after another (`CIBAPipeline`). The
/// client is already authenticated.
public struct CIBAContext: Sendable {
    /// The authentication request's parameters; replaced by the claims of a signed request.
    public internal(set) var parameters: [String: String]
    public let client: Client
    let store: any Store
    let keys: KeyManager
    let pairwise: PairwiseSubjects
    let configuration: BrokerConfiguration
    let now: Int64

    public internal(set) var signed = false
    public internal(set) var scopes: [String] = []
    /// The `acr_values` the broker understands, in the client's order.
    public internal(set) var acrValues: [String] = []
    /// The citizen the hint names, once resolved.
    public internal(set) var citizenID: String?
    public internal(set) var citizen: CitizenRecord?
    public internal(set) var bindingMessage: String?
    public internal(set) var expiresIn: Int64
    public internal(set) var clientNotificationToken: String?

    init(parameters: [String: String], client: Client, store: any Store, keys: KeyManager, pairwise: PairwiseSubjects,
         configuration: BrokerConfiguration, now: Int64) {
        self.parameters = parameters
        self.client = client
        self.store = store
        self.keys = keys
        self.pairwise = pairwise
        self.configuration = configuration
        self.now = now
        self.expiresIn = configuration.cibaDefaultExpiry
    }

    /// A parameter's value; nil when absent or empty (empty values count as omitted).
    func value(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }

    /// Parameters of client authentication: they stay outside a signed request (CIBA §7.1.1).
    static let clientAuthenticationParameters: Set<String> = ["client_id", "client_secret", "client_assertion", "client_assertion_type"]
}

/// One named step of `/bc-authorize` validation. `CIBAPipeline` lists which run, in order.
public struct CIBACheck: Sendable {
    public let name: String
    let body: @Sendable (inout CIBAContext) throws(OAuthError) -> Void

    init(_ name: String, _ body: @escaping @Sendable (inout CIBAContext) throws(OAuthError) -> Void) {
        self.name = name
        self.body = body
    }

    func run(_ context: inout CIBAContext) throws(OAuthError) { try body(&context) }
}
