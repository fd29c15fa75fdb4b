import Foundation
import JOSE
import JSON
import Storage

/// The identity broker's domain: everything Phisut decides, with no sockets and no SQL.
///
/// Built from injected storage, clock and randomness; the HTTP layer maps requests onto these
/// services and renders what they return or throw.
public final class Broker: Sendable {
    public let configuration: BrokerConfiguration
    public let store: any Store
    public let clock: any Clock
    public let random: any RandomSource
    public let terms: TermsCatalog
    public let keys: KeyManager
    public let audit: Auditor
    public let officers: OfficerService
    public let partners: PartnerService
    public let enrollment: EnrollmentService
    public let devices: DeviceService
    public let clients: ClientRegistry
    public let pairwise: PairwiseSubjects
    // Login: /authorize, push approvals, sessions, consent, logout
    public let approvals: ApprovalService
    public let sessions: SessionService
    public let consents: ConsentService
    public let authorization: AuthorizationService
    public let logout: LogoutService
    // Tokens: client authentication, /token grants, userinfo, introspection, revocation
    public let tokens: TokenIssuer
    public let clientAuthenticator: ClientAuthenticator
    public let tokenEndpoint: TokenEndpoint
    public let userInfo: UserInfoService
    public let introspection: IntrospectionService
    public let revocation: RevocationService
    // Federation with upstream identity providers
    public let federation: FederationService
    // Dynamic client registration (RFC 7591/7592) and remote client metadata
    public let remoteMetadata: RemoteMetadata
    public let registration: RegistrationService
    // CIBA and outbound deliveries (pings, device push)
    public let deliveries: OutboundDeliveries
    public let ciba: CIBAService

    /// - Parameter clients: the client registry; nil loads `Metadata/clients/` of the
    ///   configuration's metadata directory (a malformed file throws a `MetadataError`).
    public init(configuration: BrokerConfiguration, store: any Store, terms: TermsCatalog, clients: ClientRegistry? = nil,
                clock: any Clock = SystemClock(), random: any RandomSource = SystemRandom(),
                log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) throws {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.random = random
        self.terms = terms
        let audit = Auditor(store: store, clock: clock, log: log)
        self.audit = audit
        self.keys = KeyManager(
            store: store, clock: clock, algorithms: configuration.signingAlgorithms,
            retiredKeyPublication: configuration.retiredKeyPublication)
        self.officers = OfficerService(store: store, clock: clock, random: random, audit: audit)
        self.partners = PartnerService(store: store, clock: clock, random: random, audit: audit)
        self.enrollment = EnrollmentService(
            store: store, clock: clock, random: random, audit: audit, configuration: configuration, terms: terms)
        self.devices = DeviceService(store: store, clock: clock, audit: audit, configuration: configuration)
        self.clients = try clients ?? ClientRegistry.load(
            directory: configuration.metadataDirectory + "/clients", validator: configuration.clientValidator)
        let salt = try store.setting("pairwise_salt") { Base64URL.encode(random.bytes(32)) }
        self.pairwise = PairwiseSubjects(salt: Array(salt.utf8))
        // Login
        self.approvals = ApprovalService(
            store: store, clock: clock, random: random, audit: audit, configuration: configuration,
            notifications: ApprovalNotifications())
        self.sessions = SessionService(store: store, clock: clock, random: random, audit: audit, configuration: configuration)
        self.consents = ConsentService(store: store, clock: clock, audit: audit)
        self.authorization = AuthorizationService(
            store: store, clock: clock, random: random, audit: audit, configuration: configuration, clients: self.clients,
            approvals: approvals, sessions: sessions, consents: consents,
            attemptsPerRequest: AttemptLimiter(window: configuration.authorizationRequestLifetime),
            attemptsPerAddress: AttemptLimiter(window: 60))
        self.logout = LogoutService(clock: clock, configuration: configuration, clients: self.clients, keys: keys, sessions: sessions)
        // Tokens
        let tokens = TokenIssuer(issuer: configuration.issuer, lifetimes: TokenLifetimes(), keys: keys, random: random)
        self.tokens = tokens
        let authenticator = ClientAuthenticator(
            clients: self.clients, store: store, clock: clock, audit: audit, issuer: configuration.issuer,
            clockSkew: configuration.clockSkew)
        self.clientAuthenticator = authenticator
        self.tokenEndpoint = TokenEndpoint(
            authenticator: authenticator, store: store, clock: clock, random: random, tokens: tokens, pairwise: pairwise,
            audit: audit, url: configuration.issuer + "/token")
        let status = TokenStatus(store: store, tokens: tokens)
        self.userInfo = UserInfoService(status: status, store: store, clock: clock)
        self.introspection = IntrospectionService(status: status, clock: clock, issuer: configuration.issuer, pairwise: pairwise)
        self.revocation = RevocationService(status: status, store: store, clock: clock, audit: audit)
        // Federation: a bad Metadata/idps file or a missing secret stops start-up
        self.federation = try FederationService(
            configuration: configuration, store: store, clock: clock, random: random, audit: audit,
            authorization: authorization, approvals: approvals, sessions: sessions)
        // Dynamic client registration
        let remoteMetadata = RemoteMetadata(clock: clock)
        self.remoteMetadata = remoteMetadata
        self.clients.attachRegisteredClients(RegisteredClients(
            store: store, validator: configuration.clientValidator, remote: remoteMetadata, log: log))
        self.registration = RegistrationService(
            store: store, clock: clock, random: random, audit: audit, validator: configuration.clientValidator,
            remote: remoteMetadata, clients: self.clients,
            trust: try FederationTrust.load(directory: configuration.metadataDirectory + "/federation"),
            issuer: configuration.issuer, clockSkew: configuration.clockSkew)
        // CIBA
        let deliveries = OutboundDeliveries(audit: audit)
        self.deliveries = deliveries
        let authReqKey = try store.setting("ciba_auth_req_id_key") { Base64URL.encode(random.bytes(32)) }
        let authReqIDs = AuthReqIDs(key: Array(authReqKey.utf8))
        self.ciba = CIBAService(
            store: store, clock: clock, random: random, audit: audit, configuration: configuration, authenticator: authenticator,
            approvals: approvals, keys: keys, pairwise: pairwise, ids: authReqIDs)
        approvals.notifications.subscribe(DevicePushSignals(store: store, deliveries: deliveries))
        approvals.notifications.subscribe(CIBAPings(
            store: store, clients: self.clients, ids: authReqIDs, deliveries: deliveries, audit: audit))
    }

    /// Start-up work: signing keys exist and are loaded.
    public func prepare() throws {
        try configuration.validate()
        try keys.ensureKeys()
    }

    /// The OpenID Provider metadata (OIDC Discovery 1.0 §3, RFC 8414), listing only what is
    /// implemented.
    public var discoveryDocument: JSONValue {
        let issuer = configuration.issuer
        var document: [String: JSONValue] = [
            "issuer": .string(issuer),
            "jwks_uri": .string(issuer + "/jwks"),
            "id_token_signing_alg_values_supported": .array(configuration.signingAlgorithms.map { .string($0.rawValue) }),
            "subject_types_supported": ["pairwise"],
            "claims_parameter_supported": true,
            "request_parameter_supported": false,
            "request_uri_parameter_supported": false,
            "ui_locales_supported": ["th", "en"],
        ]
        // Each capability lists its own endpoints and features (Discovery+<Capability>.swift).
        for part in [frontChannelDiscovery, backChannelDiscovery, registrationDiscovery, cibaDiscovery] {
            document.merge(part) { _, new in new }
        }
        return .object(document)
    }
}
