import Foundation
import JOSE

/// Settings of one broker instance. Every limit the issues ask to be configurable lives here.
public struct BrokerConfiguration: Sendable {
    /// The issuer identifier (OIDC Discovery §2): scheme, host, port, no query or fragment.
    public var issuer: String
    /// Directory holding clients/, idps/, terms/ and federation/.
    public var metadataDirectory: String

    /// How long an officer-issued enrollment code stays valid.
    public var enrollmentCodeLifetime: Int64 = 600
    /// Failed device attempts that burn one enrollment code.
    public var maxEnrollmentAttempts = 5
    /// Active devices a citizen may hold at once.
    public var maxDevicesPerCitizen = 5
    /// Longest lifetime (`exp − iat`) a device assertion may claim (CONTRACT.md: 5 minutes).
    public var deviceAssertionMaxLifetime: Int64 = 300
    /// Clock skew tolerated on `iat`, `nbf`, `exp`.
    public var clockSkew: Int64 = 60
    /// Algorithms the broker keeps signing keys for (RS256 must stay: OIDC's default).
    public var signingAlgorithms: [JWSAlgorithm] = KeyManager.algorithms
    /// How long retired signing keys stay published after rotation (longest token lifetime + margin).
    public var retiredKeyPublication: Int64 = 2 * 86_400

    // front channel
    /// How long a validated `/authorize` request waits for the citizen (login, push, consent).
    public var authorizationRequestLifetime: Int64 = 600
    /// How long a push approval waits on the phone.
    public var approvalLifetime: Int64 = 120
    /// Pending approvals a citizen may have at once (against push fatigue and floods).
    public var maxPendingApprovals = 3
    /// Citizen IDs one authorization request may submit on the login page (typos and a retry
    /// after an expired push fit; testing IDs for enrollment does not).
    public var maxCitizenIDsPerLoginRequest = 5
    /// Citizen IDs one client address may submit per minute, over all its login requests. Not
    /// applied to loopback addresses (development, benchmarks, or a reverse proxy on the same
    /// host — which should then limit per client itself).
    public var maxCitizenIDsPerAddressPerMinute = 30
    /// Wrong numbers typed on the phone before the approval fails.
    public var maxWrongNumbers = 3
    /// How long a broker (single-sign-on) session lasts after the citizen authenticated.
    public var sessionLifetime: Int64 = 8 * 3600
    /// How long an authorization code may wait for redemption (RFC 6749 §4.1.2: at most 10 minutes).
    public var authorizationCodeLifetime: Int64 = 60

    // federation (issue 7)
    /// The outbound client for upstream identity providers; nil turns federation off (offline
    /// tools), and then `Metadata/idps/` is not read.
    public var upstreamHTTP: (any UpstreamHTTP)? = nil
    /// Where `client_secret_env` of an IdP file is looked up at start.
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// Bound on each call to an upstream (discovery, JWKS, token, userinfo), in seconds.
    public var upstreamTimeout: Double = 5
    /// Calls at once to one upstream before further ones fail fast.
    public var maxConcurrentUpstreamCalls = 8
    /// How long an upstream's discovery document is reused.
    public var upstreamMetadataLifetime: Int64 = 3600
    /// Least time between two upstream JWKS fetches caused by an unknown `kid`.
    public var upstreamKeyRefreshFloor: Int64 = 60
    /// Oldest `iat` of an upstream ID token accepted at the callback.
    public var upstreamTokenMaxAge: Int64 = 600
    /// How long the broker waits for an upstream's callback (state, nonce, PKCE verifier).
    public var upstreamStateLifetime: Int64 = 600
    // end federation
    // ciba
    /// Approvals (browser logins and CIBA requests together) a citizen may receive in one hour:
    /// the anti push-bombing cap beside `maxPendingApprovals`.
    public var maxApprovalsPerHour = 10
    /// `expires_in` of a CIBA request that sends no `requested_expiry`…
    public var cibaDefaultExpiry: Int64 = 120
    /// …and the most a `requested_expiry` may get.
    public var cibaMaxExpiry: Int64 = 600
    /// The polling `interval` CIBA clients are given (CIBA Core §7.3).
    public var cibaPollInterval: Int64 = 5
    /// How long past its `exp` an ID token is still accepted as a CIBA `id_token_hint`.
    public var idTokenHintMaxAge: Int64 = 86_400
    // end ciba

    public init(issuer: String, metadataDirectory: String) {
        self.issuer = issuer
        self.metadataDirectory = metadataDirectory
    }

    /// A development broker (CONTRACT.md "Development brokers"): plain `http` on a loopback
    /// address. Only such a broker accepts `http` loopback URLs from partners.
    public var isDevelopment: Bool {
        guard let url = URL(string: issuer), url.scheme == "http", let host = url.host else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// The validator of client metadata for this broker.
    public var clientValidator: ClientMetadataValidator {
        ClientMetadataValidator(developmentBroker: isDevelopment, signingAlgorithms: signingAlgorithms)
    }

    /// Checks the issuer is a URL the OpenID specifications accept (https, or development http).
    public func validate() throws(OAuthError) {
        guard let url = URL(string: issuer), let scheme = url.scheme, url.host != nil,
              url.query == nil, url.fragment == nil else {
            throw OAuthError("invalid_configuration", "issuer must be an absolute URL without query or fragment: \(issuer)")
        }
        guard scheme == "https" || (scheme == "http" && isDevelopment) else {
            throw OAuthError("invalid_configuration", "issuer must use https (http only on a loopback development broker): \(issuer)")
        }
        guard !issuer.hasSuffix("/") else {
            throw OAuthError("invalid_configuration", "issuer must not end with '/': \(issuer)")
        }
    }
}
