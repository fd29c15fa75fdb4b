import JOSE
import JSON

/// A relying party, as the broker knows it after validating its RFC 7591 metadata.
///
/// Built only by `ClientMetadataValidator`, so every field here has been checked: URIs are
/// absolute, grant and response types consistent, the authentication method supported, keys
/// usable.
public struct Client: Sendable {
    public enum ApplicationType: String, Sendable { case web, native }

    public let id: String
    /// The validated metadata document (without `client_secret`), as registered.
    public let metadata: JSONValue
    /// `client_name`, and its language-tagged forms (`client_name#th` → "th").
    public let name: String
    public let localizedNames: [String: String]
    public let applicationType: ApplicationType
    public let redirectURIs: [String]
    public let postLogoutRedirectURIs: [String]
    public let grantTypes: Set<String>
    public let responseTypes: Set<String>
    /// `none`, `client_secret_basic`, `client_secret_post` or `private_key_jwt`.
    public let tokenEndpointAuthMethod: String
    /// Hex SHA-256 of the client secret, for the secret-based methods.
    public let secretHash: String?
    /// Keys for `private_key_jwt` (RFC 7523) and signed requests: inline `jwks`…
    public let jwks: JWKSet?
    /// …or fetched from `jwks_uri`.
    public let jwksURI: String?
    public let idTokenSignedResponseAlg: JWSAlgorithm
    /// The pairwise sector (OIDC Core §8.1): the host of `sector_identifier_uri`, or of the single
    /// redirect URI host.
    public let sectorIdentifier: String
    /// Scopes the client may ask for (`scope` metadata); nil allows every scope the broker offers.
    public let allowedScopes: Set<String>?
    public let logoURI: String?
    public let policyURI: String?
    public let tosURI: String?
    /// CIBA (issue 5) metadata, kept for the later capability.
    public let backchannelTokenDeliveryMode: String?
    public let backchannelClientNotificationEndpoint: String?
    /// The partner that registered the client (nil for clients from `Metadata/clients/`).
    public let partnerID: String?
    public let disabled: Bool
    /// `token_endpoint_auth_signing_alg`: the one algorithm its `private_key_jwt` assertions may
    /// use; nil allows any algorithm its keys allow.
    public let tokenEndpointAuthSigningAlg: JWSAlgorithm?
    public let clientURI: String?
    /// `sector_identifier_uri` as registered (fetching it is a later issue).
    public let sectorIdentifierURI: String?

    public init(
        id: String, metadata: JSONValue, name: String, localizedNames: [String: String] = [:],
        applicationType: ApplicationType, redirectURIs: [String], postLogoutRedirectURIs: [String] = [],
        grantTypes: Set<String>, responseTypes: Set<String>, tokenEndpointAuthMethod: String, secretHash: String? = nil,
        jwks: JWKSet? = nil, jwksURI: String? = nil, idTokenSignedResponseAlg: JWSAlgorithm = .rs256,
        sectorIdentifier: String, allowedScopes: Set<String>? = nil, logoURI: String? = nil, policyURI: String? = nil,
        tosURI: String? = nil, backchannelTokenDeliveryMode: String? = nil,
        backchannelClientNotificationEndpoint: String? = nil, partnerID: String? = nil, disabled: Bool = false,
        tokenEndpointAuthSigningAlg: JWSAlgorithm? = nil, clientURI: String? = nil, sectorIdentifierURI: String? = nil
    ) {
        self.id = id
        self.metadata = metadata
        self.name = name
        self.localizedNames = localizedNames
        self.applicationType = applicationType
        self.redirectURIs = redirectURIs
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.grantTypes = grantTypes
        self.responseTypes = responseTypes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.secretHash = secretHash
        self.jwks = jwks
        self.jwksURI = jwksURI
        self.idTokenSignedResponseAlg = idTokenSignedResponseAlg
        self.sectorIdentifier = sectorIdentifier
        self.allowedScopes = allowedScopes
        self.logoURI = logoURI
        self.policyURI = policyURI
        self.tosURI = tosURI
        self.backchannelTokenDeliveryMode = backchannelTokenDeliveryMode
        self.backchannelClientNotificationEndpoint = backchannelClientNotificationEndpoint
        self.partnerID = partnerID
        self.disabled = disabled
        self.tokenEndpointAuthSigningAlg = tokenEndpointAuthSigningAlg
        self.clientURI = clientURI
        self.sectorIdentifierURI = sectorIdentifierURI
    }

    /// A public client has no credentials at the token endpoint (RFC 6749 §2.1).
    public var isPublic: Bool { tokenEndpointAuthMethod == "none" }

    /// The name to show in `language` ("th" or "en"), falling back to `client_name`.
    public func displayName(_ language: String) -> String { localizedNames[language] ?? name }
}
