import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

/// CIBA Core 1.0 in the domain, on a test clock: `/bc-authorize` and each of its errors, the
/// poll state machine, the token endpoint's CIBA grant, ping and push deliveries, the anti
/// push-bombing caps, `id_token_hint`, signed requests, client metadata and discovery.
@Suite("CIBA: backchannel authentication, polling, ping, push")
struct CIBATests {
    // MARK: /bc-authorize refusals

    struct Refusal: CustomStringConvertible, Sendable {
        let description: String
        let parameters: [String: String]
        var credentials = CIBAFixture.pollCredentials
        var defaults = true
        let code: String
        var mentions: String? = nil
    }

    static let refusals: [Refusal] = [
        Refusal(description: "no scope", parameters: ["login_hint": Citizens.a], defaults: false, code: "invalid_scope"),
        Refusal(description: "scope without openid", parameters: ["scope": "profile"], code: "invalid_scope"),
        Refusal(description: "a scope not offered", parameters: ["scope": "openid email"], code: "invalid_scope"),
        Refusal(description: "no hint", parameters: ["scope": "openid"], defaults: false, code: "invalid_request", mentions: "exactly one"),
        Refusal(description: "two hints", parameters: ["id_token_hint": "x.y.z"], code: "invalid_request", mentions: "exactly one"),
        Refusal(description: "login_hint_token is not supported",
                parameters: ["scope": "openid", "login_hint_token": "eyJ.x.y"], defaults: false, code: "invalid_request",
                mentions: "login_hint_token is not supported"),
        Refusal(description: "a login_hint that is not a citizen ID", parameters: ["login_hint": "1234567890123"], code: "unknown_user_id"),
        Refusal(description: "an unknown citizen", parameters: ["login_hint": Citizens.c], code: "unknown_user_id"),
        Refusal(description: "a citizen without a device", parameters: ["login_hint": Citizens.b], code: "unknown_user_id"),
        Refusal(description: "a binding message of 65 characters", parameters: ["binding_message": String(repeating: "ก", count: 65)],
                code: "invalid_binding_message"),
        Refusal(description: "a binding message with a line break", parameters: ["binding_message": "Desk 4\nPay now"],
                code: "invalid_binding_message"),
        Refusal(description: "a binding message with a bidi override", parameters: ["binding_message": "Desk \u{202E}4"],
                code: "invalid_binding_message"),
        Refusal(description: "user_code (unsupported)", parameters: ["user_code": "1234"], code: "invalid_request", mentions: "user_code"),
        Refusal(description: "acr_values none known", parameters: ["acr_values": "urn:other:loa:4"], code: "invalid_request"),
        Refusal(description: "acr_values the citizen cannot meet", parameters: ["acr_values": "phisut:aal-3"],
                code: "unmet_authentication_requirements"),
        Refusal(description: "requested_expiry of 0", parameters: ["requested_expiry": "0"], code: "invalid_request"),
        Refusal(description: "requested_expiry not a number", parameters: ["requested_expiry": "2m"], code: "invalid_request"),
        Refusal(description: "ping mode without client_notification_token", parameters: [:],
                credentials: CIBAFixture.pingCredentials, code: "invalid_request", mentions: "client_notification_token"),
        Refusal(description: "a client_notification_token with a space", parameters: ["client_notification_token": "a b"],
                credentials: CIBAFixture.pingCredentials, code: "invalid_request"),
        Refusal(description: "a client not registered for CIBA", parameters: [:], credentials: CIBAFixture.webCredentials,
                code: "unauthorized_client"),
        Refusal(description: "a public client", parameters: [:], credentials: ClientCredentials(clientID: "kiosk"),
                code: "unauthorized_client"),
        Refusal(description: "a wrong client secret", parameters: [:],
                credentials: ClientCredentials(basic: .init(clientID: "desk-poll", secret: "nope")), code: "invalid_client"),
    ]

    @Test("each refusal of /bc-authorize", arguments: refusals)
    func refusal(_ refusal: Refusal) throws {
        let f = try CIBAFixture()
        let error = try #require(refusalOf {
            try f.start(refusal.parameters, credentials: refusal.credentials, defaults: refusal.defaults)
        })
        #expect(error.code == refusal.code, "\(error)")
        if let mentions = refusal.mentions { #expect(error.errorDescription.contains(mentions), "\(error)") }
        #expect(error.status == (refusal.code == "invalid_client" ? 401 : 400))
        #expect(try f.broker.store.pendingApprovals(citizenID: Citizens.a, now: f.clock.now).isEmpty, "nothing reaches the phone")
        let audit = try f.broker.store.audit(citizenID: nil, limit: 50, beforeSequence: nil)
        if refusal.code != "invalid_client" { #expect(audit.contains { $0.action == "ciba.refused" && $0.outcome == "failure" }) }
    }

    @Test("a valid request answers auth_req_id, expires_in and interval, and puts the RP's name and binding message on the phone")
    func request() throws {
        let f = try CIBAFixture()
        let answer = try f.start(["binding_message": "Desk 4 · ช่อง 4", "requested_expiry": "100000"])
        #expect(Base64URL.decodeOrNil(answer.authReqID)?.count == 32, "256 bits")
        #expect(answer.expiresIn == f.broker.configuration.cibaMaxExpiry, "requested_expiry is capped")
        #expect(answer.interval == 5)
        let record = try f.broker.store.cibaRequest(hash: AuthReqIDs.hash(answer.authReqID))
        #expect(record.id != answer.authReqID && !record.seed.isEmpty, "stored hashed")
        let approval = try f.approval(answer.authReqID)
        #expect(approval.origin == "ciba")
        #expect(approval.originID == record.id)
        #expect(approval.clientName == "Counter Desk")
        #expect(approval.bindingMessage == "Desk 4 · ช่อง 4")
        #expect(approval.numberChallenge == nil, "no browser, no number")
        #expect(approval.expiresAt == f.clock.now + answer.expiresIn)
        #expect(try f.broker.approvals.pending(for: f.device).map(\.id) == [approval.id])
        #expect(try f.start().expiresIn == 120, "default expiry")
    }

    // MARK: Polling

    @Test("poll flow: pending, slow_down raising the interval, approval, tokens once")
    func pollFlow() throws {
        let f = try CIBAFixture()
        let answer = try f.start(["scope": "openid profile offline_access", "acr_values": "phisut:ial-2.1"])
        #expect(refusalOf { try f.poll(answer.authReqID) }?.code == "authorization_pending")
        f.clock.advance(2)
        let slow = try #require(refusalOf { try f.poll(answer.authReqID) })
        #expect(slow.code == "slow_down")
        #expect(slow.status == 400)
        #expect(try f.broker.store.cibaRequest(hash: AuthReqIDs.hash(answer.authReqID)).interval == 10)
        f.clock.advance(6)
        #expect(refusalOf { try f.poll(answer.authReqID) }?.code == "slow_down", "6 s is now too soon")
        f.clock.advance(15)
        #expect(refusalOf { try f.poll(answer.authReqID) }?.code == "authorization_pending")

        f.clock.advance(1)
        #expect(try f.decide(answer.authReqID, approve: true) == .approved)
        let decidedAt = f.clock.now
        f.clock.advance(1)
        let tokens = try f.poll(answer.authReqID)   // a decided request is answered at once, however soon
        let idToken = try #require(tokens.idToken)
        let claims = try #require(try BackChannelFixture.claims(idToken).objectValue)
        #expect(claims["auth_time"]?.intValue == decidedAt)
        #expect(claims["acr"]?.stringValue == "phisut:ial-3:aal-2.2")
        #expect(claims["aud"]?.stringValue == "desk-poll")
        #expect(claims["sub"]?.stringValue == f.broker.pairwise.subject(citizenID: Citizens.a, sector: "client:desk-poll"))
        #expect(tokens.refreshToken != nil, "offline_access was granted")
        #expect(tokens.scopes == ["openid", "profile", "offline_access"])

        let again = try #require(refusalOf { try f.poll(answer.authReqID) })
        #expect(again.code == "invalid_grant", "tokens once only")
        let audit = try f.broker.store.audit(citizenID: Citizens.a, limit: 50, beforeSequence: nil).map(\.action)
        #expect(audit.contains("ciba.requested") && audit.contains("approval.approved") && audit.contains("token.issued"))
    }

    @Test("no refresh token without offline_access")
    func noRefreshToken() throws {
        let f = try CIBAFixture()
        let answer = try f.start()
        try f.decide(answer.authReqID, approve: true)
        let tokens = try f.poll(answer.authReqID)
        #expect(tokens.refreshToken == nil)
        #expect(tokens.idToken != nil)
    }

    @Test("another client's auth_req_id is invalid_grant, and does not disturb the owner")
    func anotherClient() throws {
        let f = try CIBAFixture()
        let answer = try f.start()
        try f.decide(answer.authReqID, approve: true)
        let error = try #require(refusalOf {
            try f.poll(answer.authReqID, credentials: try f.signedCredentials(audience: f.broker.configuration.issuer + "/token"))
        })
        #expect(error.code == "invalid_grant")
        #expect(try f.poll(answer.authReqID).idToken != nil)
        #expect(refusalOf { try f.poll("not-an-id") }?.code == "invalid_grant")
    }

    @Test("a denial is access_denied at the token endpoint")
    func denied() throws {
        let f = try CIBAFixture()
        let answer = try f.start()
        #expect(try f.decide(answer.authReqID, approve: false) == .denied)
        let error = try #require(refusalOf { try f.poll(answer.authReqID) })
        #expect(error.code == "access_denied")
        #expect(error.status == 400)
        let audit = try f.broker.store.audit(citizenID: Citizens.a, limit: 50, beforeSequence: nil).map(\.action)
        #expect(audit.contains("approval.denied"))
    }

    @Test("an undecided request expires: expired_token, and the phone can no longer approve it")
    func expiry() throws {
        let f = try CIBAFixture()
        let answer = try f.start(["requested_expiry": "30"])
        f.clock.advance(30)
        #expect(refusalOf { try f.poll(answer.authReqID) }?.code == "expired_token")
        #expect(throws: OAuthError.self) { try f.decide(answer.authReqID, approve: true) }
        #expect(refusalOf { try f.poll(answer.authReqID) }?.code == "expired_token")
    }

    @Test("the CIBA grant needs the client to have registered it")
    func grantNotRegistered() throws {
        let f = try CIBAFixture()
        let error = refusalOf { try f.poll("x", credentials: CIBAFixture.webCredentials) }
        #expect(error?.code == "unauthorized_client")
    }

    // MARK: The poll state machine

    static func record(interval: Int64 = 5) -> CIBARequestRecord {
        CIBARequestRecord(id: "h", seed: "s", clientID: "c", citizenID: Citizens.a, scopes: ["openid"], acrValues: [],
                          deliveryMode: "poll", approvalID: "apr_1", createdAt: 1_000, expiresAt: 1_120, interval: interval)
    }

    struct Step: CustomStringConvertible, Sendable {
        let description: String
        let now: Int64
        let status: ApprovalStatus
        let expected: CIBAPollOutcome
    }

    @Test("poll steps on a fixed clock")
    func stateMachine() {
        var record = Self.record()
        let steps: [Step] = [
            Step(description: "first poll, any time", now: 1_001, status: .pending, expected: .pending),
            Step(description: "4 s later: slow_down to 10", now: 1_005, status: .pending, expected: .slowDown(interval: 10)),
            Step(description: "9 s later: slow_down to 15", now: 1_014, status: .pending, expected: .slowDown(interval: 15)),
            Step(description: "15 s later: pending", now: 1_029, status: .pending, expected: .pending),
            Step(description: "approved: at once", now: 1_030, status: .approved, expected: .approved),
            Step(description: "approved, within the grace", now: 1_179, status: .approved, expected: .approved),
            Step(description: "approved, past the grace", now: 1_180, status: .approved, expected: .expired),
        ]
        for step in steps {
            #expect(record.poll(now: step.now, approval: step.status) == step.expected, "\(step)")
        }
        var pending = Self.record()
        #expect(pending.poll(now: 1_120, approval: .pending) == .expired)
        #expect(pending.poll(now: 1_000, approval: .failed) == .denied)
        #expect(pending.poll(now: 1_000, approval: .expired) == .expired)
        pending.issuedAt = 1_050
        #expect(pending.poll(now: 1_051, approval: .approved) == .alreadyIssued)
    }

    // MARK: Ping and push

    @Test("ping mode: a decision queues a POST with the bearer token and the same auth_req_id; denials too")
    func ping() throws {
        let f = try CIBAFixture()
        let answer = try f.start(["client_notification_token": "tok-8f1c2d.e_~+/=="], credentials: CIBAFixture.pingCredentials)
        #expect(f.sink.of(.cibaPing).isEmpty, "nothing before the decision")
        try f.decide(answer.authReqID, approve: true)
        let ping = try #require(f.sink.of(.cibaPing).first)
        #expect(ping.url == "http://127.0.0.1:9/ciba/notify")
        #expect(ping.headers.contains { $0.0 == "Authorization" && $0.1 == "Bearer tok-8f1c2d.e_~+/==" })
        #expect(try JSONValue(parsing: ping.body)["auth_req_id"]?.stringValue == answer.authReqID)
        #expect(try f.poll(answer.authReqID, credentials: CIBAFixture.pingCredentials).idToken != nil)

        let second = try f.start(["client_notification_token": "tok-2"], credentials: CIBAFixture.pingCredentials)
        try f.decide(second.authReqID, approve: false)
        #expect(f.sink.of(.cibaPing).count == 2)
        #expect(try JSONValue(parsing: f.sink.of(.cibaPing)[1].body)["auth_req_id"]?.stringValue == second.authReqID)
    }

    @Test("poll mode clients are never pinged")
    func noPingInPollMode() throws {
        let f = try CIBAFixture()
        let answer = try f.start()
        try f.decide(answer.authReqID, approve: true)
        #expect(f.sink.of(.cibaPing).isEmpty)
    }

    @Test("a device with a push_url gets a signal with no personal data for every new request, browser or CIBA")
    func push() throws {
        let f = try CIBAFixture()
        _ = try f.start(["binding_message": "Desk 4"])
        let push = try #require(f.sink.of(.devicePush).first)
        #expect(push.url == "http://127.0.0.1:9/push/device-a")
        #expect(try JSONValue(parsing: push.body) == ["type": "approval_request"])
        #expect(push.reference == f.device.id)
        try f.broker.store.revokeDevice(id: f.device.id, at: f.clock.now)
        try f.broker.store.addDevice(DeviceRecord(id: "dev_2", citizenID: Citizens.a, name: "Tablet", publicKeyJWK: "{}",
                                                  termsVersion: "2026-11-01", createdAt: f.clock.now))
        _ = refusalOf { try f.start() }
        #expect(f.sink.of(.devicePush).count == 1, "revoked devices and devices without push_url get nothing")
    }

    @Test("a full delivery queue is counted in the audit log and loses nothing: the RP can still poll")
    func queueFull() throws {
        let f = try CIBAFixture()
        f.sink.accept = false
        let answer = try f.start(["client_notification_token": "tok"], credentials: CIBAFixture.pingCredentials)
        try f.decide(answer.authReqID, approve: true)
        let audit = try f.broker.store.audit(citizenID: Citizens.a, limit: 50, beforeSequence: nil)
        #expect(audit.contains { $0.action == "ciba.ping_failed" && $0.detail.contains("queue full") })
        #expect(audit.contains { $0.action == "device.push_failed" })
        #expect(try f.poll(answer.authReqID, credentials: CIBAFixture.pingCredentials).idToken != nil)
    }

    // MARK: Anti push-bombing

    @Test("at most three pending requests per citizen: the fourth is a 429 slow_down")
    func pendingCap() throws {
        let f = try CIBAFixture()
        for _ in 1...3 { _ = try f.start() }
        let error = try #require(refusalOf { try f.start() })
        #expect(error.code == "slow_down")
        #expect(error.status == 429)
        #expect(try f.broker.store.pendingApprovals(citizenID: Citizens.a, now: f.clock.now).count == 3)
    }

    @Test("the hourly cap counts browser and CIBA requests together, and frees up after an hour")
    func hourlyCap() throws {
        let f = try CIBAFixture { $0.maxApprovalsPerHour = 4 }
        f.broker.clients.add(LoginFlowDomainTests.client)
        for _ in 1...2 {
            let answer = try f.start()
            try f.decide(answer.authReqID, approve: false)
            f.clock.advance(60)
        }
        for _ in 1...2 {   // two browser logins
            let progress = try f.broker.authorization.authorize(LoginFlowDomainTests.Fixture.parameters(), sessionCookie: nil)
            guard case .login(let id) = progress.step else { Issue.record("expected the login page"); return }
            _ = try f.broker.authorization.submitCitizenID(requestID: id, citizenID: Citizens.a)
            let approval = try #require(try f.broker.authorization.approvalState(requestID: id).approval)
            let jws = try JWS.sign(payload: JSONValue.object(["request_id": .string(approval.id), "approve": false, "iat": .int(f.clock.now)]).serialized(),
                                   key: f.deviceKey, algorithm: .es256)
            _ = try f.broker.approvals.decide(requestID: approval.id, decision: jws, by: f.device)
            f.clock.advance(60)
        }
        let error = try #require(refusalOf { try f.start() })
        #expect(error.code == "slow_down")
        #expect(error.status == 429)
        #expect(error.errorDescription.contains("last hour"))

        let progress = try f.broker.authorization.authorize(LoginFlowDomainTests.Fixture.parameters(), sessionCookie: nil)
        guard case .login(let id) = progress.step else { Issue.record("expected the login page"); return }
        #expect {
            _ = try f.broker.authorization.submitCitizenID(requestID: id, citizenID: Citizens.a)
        } throws: { error in
            (error as? OAuthError)?.code == "too_many_approvals" && (error as? OAuthError)?.status == 429
        }
        f.clock.advance(3_600 - 4 * 60 + 60)   // the first request is more than an hour old
        #expect(try f.start().interval == 5)
    }

    // MARK: id_token_hint

    @Test("id_token_hint: an ID token of ours for this client names its citizen, even expired (within a day)")
    func idTokenHint() throws {
        let f = try CIBAFixture()
        let first = try f.start()
        try f.decide(first.authReqID, approve: true)
        let tokens = try f.poll(first.authReqID)
        let idToken = try #require(tokens.idToken)
        f.clock.advance(7_200)   // the ID token expired an hour ago
        let second = try f.start(["scope": "openid", "id_token_hint": idToken], defaults: false)
        #expect(try f.approval(second.authReqID).citizenID == Citizens.a)

        let accessAsHint = refusalOf {
            try f.start(["scope": "openid", "id_token_hint": tokens.accessToken], defaults: false)
        }
        #expect(accessAsHint?.code == "invalid_request", "an access token is not an ID token")
        let otherClient = refusalOf {
            try f.start(["scope": "openid", "id_token_hint": idToken], credentials: try f.signedCredentials(), defaults: false)
        }
        #expect(otherClient != nil)
        let forged = try JWT.sign(claims: try BackChannelFixture.claims(idToken).objectValue ?? [:], key: f.signedKey, algorithm: .es256)
        #expect(refusalOf {
            try f.start(["scope": "openid", "id_token_hint": forged], defaults: false)
        }?.code == "invalid_request")
        f.clock.advance(86_400)
        let stale = refusalOf { try f.start(["scope": "openid", "id_token_hint": idToken], defaults: false) }
        #expect(stale?.code == "invalid_request")
        #expect(stale?.errorDescription.contains("expired") == true)
    }

    // MARK: Signed requests

    @Test("a signed request: parameters from inside the JWT, jti single-use, nothing outside")
    func signedRequest() throws {
        let f = try CIBAFixture()
        let jwt = try f.signedRequest(["binding_message": "Kiosk 7", "requested_expiry": .int(60)], jti: "j-1")
        let answer = try f.start(["request": jwt], credentials: try f.signedCredentials(), defaults: false)
        #expect(answer.expiresIn == 60)
        #expect(try f.approval(answer.authReqID).bindingMessage == "Kiosk 7")

        let replay = refusalOf { try f.start(["request": jwt], credentials: try f.signedCredentials(), defaults: false) }
        #expect(replay?.code == "invalid_request")
        #expect(replay?.errorDescription.contains("already used") == true)

        let outside = refusalOf {
            try f.start(["request": try f.signedRequest(), "binding_message": "x"], credentials: try f.signedCredentials(), defaults: false)
        }
        #expect(outside?.errorDescription.contains("inside the request JWT") == true)
        let unsigned = refusalOf { try f.start(credentials: try f.signedCredentials()) }
        #expect(unsigned?.errorDescription.contains("send a signed request") == true, "it registered a signing algorithm")
        let wrongKey = refusalOf {
            try f.start(["request": try f.signedRequest(key: try JWK.generate(for: .es256, kid: "desk-signed-1"))],
                        credentials: try f.signedCredentials(), defaults: false)
        }
        #expect(wrongKey?.code == "invalid_request")
        let wrongAudience = refusalOf {
            try f.start(["request": try f.signedRequest(["aud": "https://elsewhere.example"])], credentials: try f.signedCredentials(), defaults: false)
        }
        #expect(wrongAudience?.code == "invalid_request")
        let noNbf = refusalOf {
            var claims = try BackChannelFixture.claims(try f.signedRequest()).objectValue ?? [:]
            claims["nbf"] = nil
            return try f.start(["request": try JWT.sign(claims: claims, key: f.signedKey, algorithm: .es256)],
                               credentials: try f.signedCredentials(), defaults: false)
        }
        #expect(noNbf?.errorDescription.contains("nbf") == true)
    }

    // MARK: Metadata and discovery

    struct MetadataCase: CustomStringConvertible, Sendable {
        let description: String
        let extra: [String: JSONValue]
        let problem: String?
    }

    static let metadataCases: [MetadataCase] = [
        MetadataCase(description: "poll", extra: ["backchannel_token_delivery_mode": "poll"], problem: nil),
        MetadataCase(description: "ping with a loopback endpoint on a development broker",
                     extra: ["backchannel_token_delivery_mode": "ping", "backchannel_client_notification_endpoint": "http://127.0.0.1:7/n"],
                     problem: nil),
        MetadataCase(description: "no delivery mode", extra: [:], problem: "backchannel_token_delivery_mode"),
        MetadataCase(description: "push mode", extra: ["backchannel_token_delivery_mode": "push"], problem: "push is not supported"),
        MetadataCase(description: "ping without an endpoint", extra: ["backchannel_token_delivery_mode": "ping"],
                     problem: "backchannel_client_notification_endpoint"),
        MetadataCase(description: "ping to a plain http host",
                     extra: ["backchannel_token_delivery_mode": "ping", "backchannel_client_notification_endpoint": "http://rp.example/n"],
                     problem: "https"),
        MetadataCase(description: "user codes", extra: ["backchannel_token_delivery_mode": "poll", "backchannel_user_code_parameter": true],
                     problem: "backchannel_user_code_parameter"),
        MetadataCase(description: "an HMAC signing alg",
                     extra: ["backchannel_token_delivery_mode": "poll", "backchannel_authentication_request_signing_alg": "HS256"],
                     problem: "backchannel_authentication_request_signing_alg"),
        MetadataCase(description: "a signing alg without keys",
                     extra: ["backchannel_token_delivery_mode": "poll", "backchannel_authentication_request_signing_alg": "ES256"],
                     problem: "jwks"),
    ]

    @Test("client metadata: the CIBA members", arguments: metadataCases)
    func metadata(_ item: MetadataCase) throws {
        var document: [String: JSONValue] = [
            "client_id": "m", "token_endpoint_auth_method": "client_secret_basic", "client_secret": "s",
            "grant_types": [.string(CIBA.grantType)], "id_token_signed_response_alg": "ES256",
        ]
        for (name, value) in item.extra { document[name] = value }
        let validator = ClientMetadataValidator(developmentBroker: true, signingAlgorithms: [.es256])
        let error = refusalOf { try validator.validateFile(.object(document)) }
        if let problem = item.problem {
            #expect(error?.code == "invalid_client_metadata")
            #expect(error?.errorDescription.contains(problem) == true, "\(String(describing: error))")
        } else {
            #expect(error == nil, "\(String(describing: error))")
        }
    }

    @Test("client metadata: https is required of the notification endpoint outside development; CIBA fields need the grant")
    func metadataProduction() {
        let validator = ClientMetadataValidator(developmentBroker: false, signingAlgorithms: [.es256])
        let ping: JSONValue = [
            "client_id": "m", "token_endpoint_auth_method": "client_secret_basic", "client_secret": "s",
            "grant_types": [.string(CIBA.grantType)], "backchannel_token_delivery_mode": "ping",
            "backchannel_client_notification_endpoint": "http://127.0.0.1:7/n", "id_token_signed_response_alg": "ES256",
        ]
        #expect(refusalOf { try validator.validateFile(ping) }?.errorDescription.contains("https") == true)
        let stray: JSONValue = [
            "client_id": "m", "token_endpoint_auth_method": "client_secret_basic", "client_secret": "s",
            "redirect_uris": ["https://m.example/cb"], "backchannel_token_delivery_mode": "poll", "id_token_signed_response_alg": "ES256",
        ]
        #expect(refusalOf { try validator.validateFile(stray) }?.errorDescription.contains("grant_types") == true)
        let publicClient: JSONValue = [
            "client_id": "m", "application_type": "native", "token_endpoint_auth_method": "none",
            "grant_types": [.string(CIBA.grantType)], "backchannel_token_delivery_mode": "poll",
        ]
        #expect(refusalOf { try validator.validateFile(publicClient) }?.code == "invalid_client_metadata")
    }

    @Test("discovery lists the CIBA endpoint, modes, algorithms and grant")
    func discovery() throws {
        let f = try CIBAFixture()
        let document = f.broker.discoveryDocument
        #expect(document["backchannel_authentication_endpoint"]?.stringValue == "http://127.0.0.1:8080/bc-authorize")
        #expect(document["backchannel_token_delivery_modes_supported"] == ["ping", "poll"])
        #expect(document["backchannel_user_code_parameter_supported"] == false)
        #expect(document["backchannel_authentication_request_signing_alg_values_supported"]?.arrayValue?.contains("ES256") == true)
        #expect(document["grant_types_supported"]?.arrayValue?.contains(.string(CIBA.grantType)) == true)
    }
}

extension Base64URL {
    static func decodeOrNil(_ text: String) -> [UInt8]? { try? decode(text) }
}
