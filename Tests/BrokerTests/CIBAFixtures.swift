import Foundation
import JOSE
import JSON
import Storage
@testable import Broker

/// A delivery sink that keeps what it is given (no HTTP in domain tests).
final class RecordingSink: DeliverySink, @unchecked Sendable {
    private let lock = NSLock()
    private var items: [OutboundDelivery] = []
    var accept = true

    func enqueue(_ delivery: OutboundDelivery) -> Bool {
        lock.withLock {
            items.append(delivery)
            return accept
        }
    }

    var deliveries: [OutboundDelivery] { lock.withLock { items } }
    func of(_ purpose: OutboundDelivery.Purpose) -> [OutboundDelivery] { deliveries.filter { $0.purpose == purpose } }
}

/// A broker with CIBA clients, an enrolled citizen (A, with a push URL), a citizen without a
/// device (B), and helpers for `/bc-authorize`, the phone and the token endpoint.
struct CIBAFixture {
    let t: TestBroker
    let device: DeviceRecord
    let deviceKey: JWK
    /// The private key of `desk-signed` (private_key_jwt, signed requests with ES256).
    let signedKey: JWK
    let sink = RecordingSink()
    var broker: Broker { t.broker }
    var clock: TestClock { t.clock }

    static let pollCredentials = ClientCredentials(basic: .init(clientID: "desk-poll", secret: "poll-secret"))
    static let pingCredentials = ClientCredentials(clientID: "desk-ping", clientSecret: "ping-secret")
    static let webCredentials = ClientCredentials(basic: .init(clientID: "web", secret: "web-secret"))

    init(configure: (inout BrokerConfiguration) -> Void = { _ in }) throws {
        t = try TestBroker(configure: configure)
        signedKey = try JWK.generate(for: .es256, kid: "desk-signed-1")
        let validator = t.broker.configuration.clientValidator
        let documents: [JSONValue] = [
            ["client_id": "desk-poll", "client_name": "Counter Desk", "token_endpoint_auth_method": "client_secret_basic",
             "client_secret": "poll-secret", "grant_types": [.string(CIBA.grantType), "refresh_token"],
             "backchannel_token_delivery_mode": "poll", "scope": "openid profile pid offline_access",
             "id_token_signed_response_alg": "ES256"],
            ["client_id": "desk-ping", "client_name": "Call Centre", "token_endpoint_auth_method": "client_secret_post",
             "client_secret": "ping-secret", "grant_types": [.string(CIBA.grantType)], "backchannel_token_delivery_mode": "ping",
             "backchannel_client_notification_endpoint": "http://127.0.0.1:9/ciba/notify", "id_token_signed_response_alg": "ES256"],
            ["client_id": "desk-signed", "token_endpoint_auth_method": "private_key_jwt", "grant_types": [.string(CIBA.grantType)],
             "backchannel_token_delivery_mode": "poll", "backchannel_authentication_request_signing_alg": "ES256",
             "jwks": JWKSet(keys: [signedKey.publicKey]).json(), "id_token_signed_response_alg": "ES256"],
            ["client_id": "web", "token_endpoint_auth_method": "client_secret_basic", "client_secret": "web-secret",
             "redirect_uris": ["https://web.example/cb"], "id_token_signed_response_alg": "ES256"],
            ["client_id": "kiosk", "application_type": "native", "token_endpoint_auth_method": "none",
             "redirect_uris": ["http://127.0.0.1/cb"], "id_token_signed_response_alg": "ES256"],
        ]
        for document in documents { t.broker.clients.add(try validator.validateFile(document)) }
        t.broker.deliveries.attach(sink)

        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: try t.officer())
        deviceKey = try JWK.generate(for: .es256)
        var request = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: deviceKey, at: t.clock.now)
        request.pushURL = "http://127.0.0.1:9/push/device-a"
        device = try t.broker.enrollment.enrollDevice(request)
        try t.broker.store.upsertCitizen(CitizenRecord(
            id: Citizens.b, givenNameTH: "สมชาย", givenNameEN: "Somchai", familyNameTH: "ใจดี", familyNameEN: "Jaidee",
            birthdate: "1985-01-02", ial: "2.3", createdAt: t.clock.now, updatedAt: t.clock.now))
    }

    /// `/bc-authorize` with `parameters` (defaults: scope openid, login_hint citizen A).
    func start(_ parameters: [String: String] = [:], credentials: ClientCredentials = pollCredentials,
               defaults: Bool = true) throws(OAuthError) -> BackchannelAuthenticationResponse {
        var all = defaults ? ["scope": "openid profile", "login_hint": Citizens.a] : [:]
        for (name, value) in parameters { all[name] = value }
        return try broker.ciba.authenticate(BackchannelAuthenticationRequest(parameters: all, credentials: credentials))
    }

    /// The token endpoint's CIBA grant.
    func poll(_ authReqID: String, credentials: ClientCredentials = pollCredentials) throws(OAuthError) -> TokenResponse {
        try broker.tokenEndpoint.token(TokenRequest(grantType: CIBA.grantType, parameters: ["auth_req_id": authReqID], credentials: credentials))
    }

    /// The approval a CIBA request put on the phone.
    func approval(_ authReqID: String) throws -> ApprovalRecord {
        try broker.store.approval(id: try broker.store.cibaRequest(hash: AuthReqIDs.hash(authReqID)).approvalID)
    }

    /// The phone decides.
    @discardableResult
    func decide(_ authReqID: String, approve: Bool) throws -> ApprovalStatus {
        let approval = try approval(authReqID)
        let payload: JSONValue = ["request_id": .string(approval.id), "approve": .bool(approve), "iat": .int(clock.now)]
        let jws = try JWS.sign(payload: payload.serialized(), key: deviceKey, algorithm: .es256)
        return try broker.approvals.decide(requestID: approval.id, decision: jws, by: device)
    }

    /// A signed authentication request of `desk-signed` (CIBA §7.1.1).
    func signedRequest(_ claims: [String: JSONValue] = [:], jti: String = UUID().uuidString, key: JWK? = nil) throws -> String {
        let now = clock.now
        var all: [String: JSONValue] = [
            "iss": "desk-signed", "aud": .string(broker.configuration.issuer), "iat": .int(now), "nbf": .int(now),
            "exp": .int(now + 300), "jti": .string(jti), "scope": "openid", "login_hint": .string(Citizens.a),
        ]
        for (name, value) in claims { all[name] = value }
        return try JWT.sign(claims: all, key: key ?? signedKey, algorithm: .es256)
    }

    /// A private_key_jwt assertion of `desk-signed` for `/bc-authorize` or `/token`.
    func signedCredentials(audience: String? = nil) throws -> ClientCredentials {
        let now = clock.now
        let assertion = try JWT.sign(claims: [
            "iss": "desk-signed", "sub": "desk-signed", "aud": .string(audience ?? broker.configuration.issuer),
            "iat": .int(now), "exp": .int(now + 60), "jti": .string(UUID().uuidString),
        ], key: signedKey, algorithm: .es256)
        return ClientCredentials(assertionType: PrivateKeyJWT.assertionType, assertion: assertion)
    }
}

/// The `OAuthError` a throwing expression produced (nil when it succeeded or threw anything
/// else), for bodies that also build JWTs or credentials.
func refusalOf<T>(_ body: () throws -> T) -> OAuthError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? OAuthError
    }
}
