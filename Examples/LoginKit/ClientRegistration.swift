import JOSE

/// How a relying party is registered at the broker (its Metadata/clients file, from its side).
public struct ClientRegistration: Sendable {
    /// How the client proves itself at the token endpoint.
    public enum Authentication: Sendable {
        /// A public client (`token_endpoint_auth_method: none`): only `client_id` is sent.
        case none
        /// `private_key_jwt` (RFC 7523 §2.2, OIDC Core §9) with this private key and algorithm.
        case privateKeyJWT(key: JWK, algorithm: JWSAlgorithm)
    }

    public let clientID: String
    public let redirectURI: String
    public let scope: String
    public let authentication: Authentication
    /// The registered `id_token_signed_response_alg`: an ID token signed otherwise is refused.
    public let idTokenAlgorithm: JWSAlgorithm

    public init(clientID: String, redirectURI: String, scope: String, authentication: Authentication,
                idTokenAlgorithm: JWSAlgorithm) {
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scope = scope
        self.authentication = authentication
        self.idTokenAlgorithm = idTokenAlgorithm
    }
}
