import Storage

/// One `token_endpoint_auth_method` (RFC 7591 §2): recognises its credentials in a request and
/// verifies them for a client registered with it. One small type per method; the
/// `ClientAuthenticator` finds them by name.
public protocol ClientAuthenticationMethod: Sendable {
    /// The registered name, e.g. `client_secret_basic`.
    var name: String { get }
    /// Whether `credentials` carry this method's proof. `none` carries none and answers false.
    func isPresented(in credentials: ClientCredentials) -> Bool
    /// The client the credentials claim to be, before anything is verified.
    func claimedClientID(_ credentials: ClientCredentials) -> String?
    /// Verifies the credentials for `client`, which is registered with this method.
    /// Throws `invalid_client`.
    func authenticate(_ credentials: ClientCredentials, as client: Client, context: ClientAuthenticationContext) throws(OAuthError)
}

/// What the methods may read: time, the broker's identifiers, the nonce store.
public struct ClientAuthenticationContext: Sendable {
    public let issuer: String
    /// The endpoint the request was sent to, an accepted `aud` of client assertions.
    public let endpoint: String
    public let now: Int64
    public let clockSkew: Int64
    let store: any NonceStore
    /// Where `private_key_jwt` finds the client's keys (inline, or fetched from `jwks_uri`).
    let clients: ClientRegistry
}
