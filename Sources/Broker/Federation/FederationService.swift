import Foundation
import JSON
import Storage

/// The hub (issue 7): citizens sign in through upstream identity providers of other sectors
/// and relying parties still get the broker's own tokens — pairwise `sub`, `amr` with `fed`,
/// and the assurance the upstream really gave, mapped by its IdP file.
///
/// Federation is on when the configuration carries an outbound client (`upstreamHTTP`); then
/// every `Metadata/idps/*.json` is validated at start. Offline tools (`phisut officers …`) have
/// none and never read the files or their secrets.
public struct FederationService: Sendable {
    /// Every configured upstream, in id order.
    public let providers: [IdentityProvider]
    let connectors: [String: any UpstreamConnector]
    let store: any Store
    let clock: any Clock
    let random: any RandomSource
    let audit: Auditor
    let configuration: BrokerConfiguration
    let authorization: AuthorizationService
    let approvals: ApprovalService
    let sessions: SessionService

    init(configuration: BrokerConfiguration, store: any Store, clock: any Clock, random: any RandomSource, audit: Auditor,
         authorization: AuthorizationService, approvals: ApprovalService, sessions: SessionService) throws {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.random = random
        self.audit = audit
        self.authorization = authorization
        self.approvals = approvals
        self.sessions = sessions
        guard let http = configuration.upstreamHTTP else {
            providers = []
            connectors = [:]
            return
        }
        var loaded: [IdentityProvider] = []
        for (path, document) in try MetadataFiles.documents(in: configuration.metadataDirectory + "/idps") {
            loaded.append(try IdentityProvider.parse(
                document, path: path, environment: configuration.environment, developmentBroker: configuration.isDevelopment,
                kinds: UpstreamConnectors.kinds))
        }
        let environment = UpstreamEnvironment(
            http: http, clock: clock, random: random, timeout: configuration.upstreamTimeout, clockSkew: configuration.clockSkew,
            maxTokenAge: configuration.upstreamTokenMaxAge, metadataLifetime: configuration.upstreamMetadataLifetime,
            keyRefreshFloor: configuration.upstreamKeyRefreshFloor, maxConcurrentCalls: configuration.maxConcurrentUpstreamCalls)
        providers = loaded.sorted { $0.id < $1.id }
        var connectors: [String: any UpstreamConnector] = [:]
        for provider in loaded {
            if let factory = UpstreamConnectors.factories[provider.kind] { connectors[provider.id] = factory(provider, environment) }
        }
        self.connectors = connectors
    }

    /// The upstream with this id, or nil.
    public func provider(id: String) -> IdentityProvider? { providers.first { $0.id == id } }

    // MARK: Starting

    /// Where the browser goes to log in at the upstream: a URL, and the `state` the HTTP layer
    /// binds to the browser with a cookie.
    public struct Redirect: Sendable {
        public let url: String
        public let state: String
    }

    /// Starts a federated login for the pending authorization request `requestID` at `idpID`:
    /// a fresh `state`, `nonce` and PKCE verifier, stored single-use for
    /// `upstreamStateLifetime` seconds.
    ///
    /// - Throws: `unknown_idp`; `login_expired`; `upstream_unavailable` when the upstream's
    ///   discovery cannot be fetched.
    public func begin(requestID: String, idpID: String) throws -> Redirect {
        guard let provider = provider(id: idpID), let connector = connectors[idpID] else {
            throw OAuthError.unknownIdP("No identity provider is configured under this name.")
        }
        let request = try authorization.pendingRequest(id: requestID)
        guard request.status == .login || request.status == .approval else {
            throw OAuthError.loginExpired("This sign-in has moved on; please go back to the application.")
        }
        let now = clock.now
        let state = random.token()
        let login = UpstreamLogin(
            state: state, nonce: random.token(), codeVerifier: random.token(),
            redirectURI: provider.redirectURI(issuer: configuration.issuer),
            acrValues: upstreamACRValues(provider, meeting: request.acrValues), uiLocales: request.uiLocales)
        let url: String
        do {
            url = try connector.authorizationURL(for: login)
        } catch {
            audit.record("federation.failed", by: .anonymous, client: request.clientID, success: false,
                         detail: "\(idpID): \(error.debug ?? error.code)")
            throw error
        }
        try store.addUpstreamAuthorization(UpstreamAuthorizationRecord(
            id: SecretHash.of(state), idpID: idpID, authorizationRequestID: requestID, nonce: login.nonce,
            codeVerifier: login.codeVerifier, redirectURI: login.redirectURI, createdAt: now,
            expiresAt: min(now + configuration.upstreamStateLifetime, request.expiresAt)))
        audit.record("federation.started", by: .anonymous, client: request.clientID, detail: idpID)
        return Redirect(url: url, state: state)
    }

    /// The upstream the relying party named with `idp_hint` / `kc_idp_hint`, once: the hint is
    /// cleared so that coming back to the login page shows every choice. Nil when there is none,
    /// it names no configured upstream, or the request is past its login step.
    public func takeHint(requestID: String) throws -> String? {
        let request = try authorization.pendingRequest(id: requestID)
        guard let hint = request.idpHint else { return nil }
        try store.update(AuthorizationRequestRecord.self, id: requestID) { $0.idpHint = nil }
        guard request.status == .login, provider(id: hint) != nil else { return nil }
        return hint
    }

    /// The upstream `acr` values whose mapped levels meet one of the relying party's.
    func upstreamACRValues(_ provider: IdentityProvider, meeting acrValues: [String]) -> [String] {
        let requirements = acrValues.compactMap(Assurance.Requirement.init(acr:))
        guard !requirements.isEmpty else { return [] }
        return provider.acrMap.filter { _, levels in requirements.contains { $0.isMet(by: levels) } }.keys.sorted()
    }

    // MARK: Links

    /// The citizen's links to upstream identities, revoked ones included, oldest first.
    public func links(citizenID: String) throws -> [FederationLinkRecord] {
        try store.federationLinks(citizenID: citizenID).sorted { $0.firstUsedAt < $1.firstUsedAt }
    }

    /// Revokes one of the citizen's links: that upstream identity cannot sign them in again.
    /// Another citizen's link reads as unknown (`not_found`).
    public func revokeLink(citizenID: String, linkID: String) throws {
        do {
            try store.update(FederationLinkRecord.self, id: linkID) { link in
                guard link.citizenID == citizenID else { throw OAuthError.notFound("no such link") }
                if link.revokedAt == nil { link.revokedAt = clock.now }
            }
        } catch StorageError.notFound {
            throw OAuthError.notFound("no such link")
        }
        audit.record("federation.link_revoked", by: .anonymous, citizen: citizenID, detail: linkID)
    }
}
