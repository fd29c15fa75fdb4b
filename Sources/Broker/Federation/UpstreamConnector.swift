import JSON

/// One kind of upstream identity provider (OIDC now; SAML and others later), found through
/// `UpstreamConnectors` by the provider's `kind`. A connector speaks its protocol and verifies
/// what comes back; linking, assurance and the broker's own login stay in `FederationService`.
public protocol UpstreamConnector: Sendable {
    /// Where to send the browser to start a login at the upstream.
    ///
    /// - Throws: `upstream_unavailable` when the upstream's metadata cannot be fetched.
    func authorizationURL(for login: UpstreamLogin) throws(OAuthError) -> String

    /// Finishes the login from the callback's parameters (already matched to `login` by the
    /// `state`): checks the response, exchanges the code, verifies the identity.
    ///
    /// - Throws: `upstream_error` for an error response, `upstream_unavailable` when the upstream
    ///   cannot be reached in time, `upstream_invalid_response` for anything that fails a check.
    func complete(callback: [String: String], for login: UpstreamLogin) throws(OAuthError) -> UpstreamIdentity
}

/// What the broker chose for one upstream login, bound to its pending authorization request.
public struct UpstreamLogin: Sendable {
    public let state: String
    public let nonce: String
    /// PKCE verifier (RFC 7636); its S256 challenge goes upstream.
    public let codeVerifier: String
    public let redirectURI: String
    /// Upstream `acr` values worth asking for (those that would meet the relying party's request).
    public let acrValues: [String]
    public let uiLocales: [String]

    public init(state: String, nonce: String, codeVerifier: String, redirectURI: String, acrValues: [String] = [],
                uiLocales: [String] = []) {
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.redirectURI = redirectURI
        self.acrValues = acrValues
        self.uiLocales = uiLocales
    }
}

/// A verified upstream identity.
public struct UpstreamIdentity: Sendable {
    /// The upstream's `sub`: recorded in the link, never sent to a relying party.
    public let subject: String
    /// The ID token's claims, completed by userinfo where the ID token lacks a mapped claim.
    public let claims: [String: JSONValue]
    /// The upstream's `acr`, if it sent one.
    public let acr: String?

    public init(subject: String, claims: [String: JSONValue], acr: String?) {
        self.subject = subject
        self.claims = claims
        self.acr = acr
    }
}

/// What every connector may use: the outbound client, time and the limits of the configuration.
public struct UpstreamEnvironment: Sendable {
    public let http: any UpstreamHTTP
    public let clock: any Clock
    public let random: any RandomSource
    /// Bound on each outbound call, in seconds.
    public let timeout: Double
    /// Tolerated clock difference on `iat` and `exp`.
    public let clockSkew: Int64
    /// How old an ID token's `iat` may be.
    public let maxTokenAge: Int64
    /// How long fetched metadata is reused before it is fetched again.
    public let metadataLifetime: Int64
    /// Least time between two JWKS fetches caused by an unknown `kid`.
    public let keyRefreshFloor: Int64
    /// Outbound calls at once to one upstream; more fail fast instead of tying up threads.
    public let maxConcurrentCalls: Int
}

/// The connector kinds, by the `kind` of an IdP file.
public enum UpstreamConnectors {
    public typealias Factory = @Sendable (IdentityProvider, UpstreamEnvironment) -> any UpstreamConnector

    /// One entry per connector file.
    public static let factories: [String: Factory] = [
        "oidc": { OIDCConnector(provider: $0, environment: $1) },
    ]

    public static var kinds: Set<String> { Set(factories.keys) }
}
