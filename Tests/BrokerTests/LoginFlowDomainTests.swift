import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

/// The front channel's domain on a test clock: approvals as a state machine, expiry, `max_age`,
/// consent, and the `/authorize` pipeline without HTTP.
@Suite("Front channel domain: approvals, sessions, consent")
struct LoginFlowDomainTests {
    static let client = Client(
        id: "rp", metadata: ["client_id": "rp"], name: "RP", applicationType: .native,
        redirectURIs: ["http://127.0.0.1/cb"], grantTypes: ["authorization_code"], responseTypes: ["code"],
        tokenEndpointAuthMethod: "none", idTokenSignedResponseAlg: .es256, sectorIdentifier: "127.0.0.1")

    /// A broker with the client and an enrolled citizen whose device key is returned.
    struct Fixture {
        let test: TestBroker
        let device: DeviceRecord
        let key: JWK
        var broker: Broker { test.broker }

        init(configure: (inout BrokerConfiguration) -> Void = { _ in }) throws {
            test = try TestBroker(configure: configure)
            test.broker.clients.add(LoginFlowDomainTests.client)
            let ticket = try test.broker.enrollment.start(TestBroker.application(Citizens.a), by: try test.officer())
            key = try JWK.generate(for: .es256)
            device = try test.broker.enrollment.enrollDevice(
                try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: key, at: test.clock.now))
        }

        static func parameters(_ extra: [(String, String)] = []) -> AuthorizationParameters {
            var pairs: [(String, String)] = [
                ("response_type", "code"), ("client_id", "rp"), ("redirect_uri", "http://127.0.0.1:4000/cb"), ("scope", "openid profile"),
                ("state", "s"), ("code_challenge", Base64URL.encode(Crypto.sha256(Array("verifier".utf8)))),
                ("code_challenge_method", "S256"),
            ]
            for (name, value) in extra {
                pairs.removeAll { $0.0 == name }
                pairs.append((name, value))
            }
            return AuthorizationParameters(pairs.map { (name: $0.0, value: $0.1) })
        }

        /// `/authorize` → citizen ID → the pending approval.
        func startLogin(_ extra: [(String, String)] = [], cookie: String? = nil) throws -> (requestID: String, approval: ApprovalRecord) {
            let progress = try broker.authorization.authorize(Self.parameters(extra), sessionCookie: cookie)
            guard case .login(let id) = progress.step else { throw Failure("expected the login page, got \(progress.step)") }
            guard case .waiting = try broker.authorization.submitCitizenID(requestID: id, citizenID: Citizens.a) else {
                throw Failure("expected the waiting page")
            }
            let approval = try #require(try broker.authorization.approvalState(requestID: id).approval)
            return (id, approval)
        }

        func decision(_ approval: ApprovalRecord, approve: Bool = true, number: String? = nil, iat: Int64? = nil) throws -> String {
            var payload: [String: JSONValue] = [
                "request_id": .string(approval.id), "approve": .bool(approve), "iat": .int(iat ?? test.clock.now),
            ]
            if let number = number ?? approval.numberChallenge { payload["number"] = .string(number) }
            return try JWS.sign(payload: JSONValue.object(payload).serialized(), key: key, algorithm: .es256)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: The pending approval as a state machine

    static func pending(challenge: String? = "42") -> ApprovalRecord {
        ApprovalRecord(id: "apr_1", citizenID: Citizens.a, clientID: "rp", clientName: "RP", scopes: ["openid"], claims: ["sub"],
                       numberChallenge: challenge, wrongNumbers: 0, status: .pending, origin: "browser", originID: "azr_1",
                       createdAt: 1_000, expiresAt: 1_120, amr: [])
    }

    static let reached = Assurance(ial: "3", aal: "2.2")

    @Test("decisions move a pending approval", arguments: [
        (label: "approve with the right number", approve: true, number: String?("42"), now: Int64(1_010), outcome: ApprovalDecisionOutcome.approved, status: ApprovalStatus.approved),
        (label: "deny needs no number", approve: false, number: nil, now: 1_010, outcome: .denied, status: .denied),
        (label: "a wrong number leaves it pending", approve: true, number: "24", now: 1_010, outcome: .wrongNumber(remaining: 2), status: .pending),
        (label: "no number is a wrong number", approve: true, number: nil, now: 1_010, outcome: .wrongNumber(remaining: 2), status: .pending),
        (label: "a longer number is wrong", approve: true, number: "420", now: 1_010, outcome: .wrongNumber(remaining: 2), status: .pending),
        (label: "after its time it is expired", approve: true, number: "42", now: 1_120, outcome: .expired, status: .expired),
    ])
    func decisions(_ item: (label: String, approve: Bool, number: String?, now: Int64, outcome: ApprovalDecisionOutcome, status: ApprovalStatus)) {
        var approval = Self.pending()
        let decision = DeviceDecision(requestID: approval.id, approve: item.approve, number: item.number, issuedAt: item.now)
        #expect(approval.apply(decision, by: "dev_1", reached: Self.reached, now: item.now, maxWrongNumbers: 3) == item.outcome, "\(item.label)")
        #expect(approval.status == item.status, "\(item.label)")
        if item.status == .approved {
            #expect(approval.acr == "phisut:ial-3:aal-2.2")
            #expect(approval.amr == Assurance.deviceApprovalAMR)
            #expect(approval.deviceID == "dev_1")
        }
    }

    @Test("the third wrong number fails the approval, and nothing moves it afterwards")
    func thirdWrongNumber() {
        var approval = Self.pending()
        let wrong = DeviceDecision(requestID: approval.id, approve: true, number: "00", issuedAt: 1_010)
        #expect(approval.apply(wrong, by: "d", reached: Self.reached, now: 1_010, maxWrongNumbers: 3) == .wrongNumber(remaining: 2))
        #expect(approval.apply(wrong, by: "d", reached: Self.reached, now: 1_011, maxWrongNumbers: 3) == .wrongNumber(remaining: 1))
        #expect(approval.apply(wrong, by: "d", reached: Self.reached, now: 1_012, maxWrongNumbers: 3) == .failed)
        #expect(approval.status == .failed)
        let right = DeviceDecision(requestID: approval.id, approve: true, number: "42", issuedAt: 1_013)
        #expect(approval.apply(right, by: "d", reached: Self.reached, now: 1_013, maxWrongNumbers: 3) == .alreadyDecided)
        #expect(approval.status == .failed)
    }

    @Test("number challenges are two digits")
    func numberChallenges() throws {
        let fixture = try Fixture()
        for _ in 0..<200 {
            let number = fixture.broker.approvals.numberChallenge()
            #expect(number.count == 2 && number.allSatisfy(\.isNumber), "\(number)")
        }
    }

    // MARK: Through the services, on the test clock

    @Test("an approval not decided in two minutes expires: the device gets 404, the browser the login page again")
    func expiredApproval() throws {
        let fixture = try Fixture()
        let (requestID, approval) = try fixture.startLogin()
        #expect(approval.expiresAt - approval.createdAt == 120)
        fixture.test.clock.advance(121)
        #expect(try fixture.broker.approvals.pending(for: fixture.device).isEmpty)
        #expect(throws: OAuthError.notFound("the request has expired")) {
            try fixture.broker.approvals.decide(requestID: approval.id, decision: try fixture.decision(approval), by: fixture.device)
        }
        let progress = try fixture.broker.authorization.proceed(requestID: requestID, sessionCookie: nil)
        guard case .login(let again) = progress.step else {
            Issue.record("expected the login page, got \(progress.step)")
            return
        }
        #expect(again == requestID)
        #expect(try fixture.broker.authorization.approvalState(requestID: requestID).approval?.status == .expired)
    }

    @Test("a stale decision (old iat) is refused and changes nothing")
    func staleDecision() throws {
        let fixture = try Fixture()
        let (_, approval) = try fixture.startLogin()
        let stale = try fixture.decision(approval, iat: fixture.test.clock.now - 301)
        #expect(throws: OAuthError.self) {
            try fixture.broker.approvals.decide(requestID: approval.id, decision: stale, by: fixture.device)
        }
        #expect(try fixture.broker.store.approval(id: approval.id).status == .pending)
    }

    @Test("max_age exceeded by now − auth_time forces a new push; within it the session is reused")
    func maxAge() throws {
        let fixture = try Fixture()
        let (requestID, approval) = try fixture.startLogin()
        #expect(try fixture.broker.approvals.decide(requestID: approval.id, decision: try fixture.decision(approval), by: fixture.device) == .approved)
        let progress = try fixture.broker.authorization.proceed(requestID: requestID, sessionCookie: nil)
        let session = try #require(progress.session)
        guard case .consent = progress.step else {
            Issue.record("expected consent, got \(progress.step)")
            return
        }
        _ = try fixture.broker.authorization.decideConsent(requestID: requestID, allow: true)

        fixture.test.clock.advance(30)
        let within = try fixture.broker.authorization.authorize(Fixture.parameters([("max_age", "60")]), sessionCookie: session.cookie)
        guard case .respond(let answer) = within.step, let code = answer.value("code") else {
            Issue.record("expected a code, got \(within.step)")
            return
        }
        #expect(try fixture.broker.store.authorizationCode(hash: SecretHash.of(code)).authTime == session.record.authTime)

        fixture.test.clock.advance(31)
        let beyond = try fixture.broker.authorization.authorize(Fixture.parameters([("max_age", "60")]), sessionCookie: session.cookie)
        guard case .login = beyond.step else {
            Issue.record("expected a new login, got \(beyond.step)")
            return
        }
        let none = try fixture.broker.authorization.authorize(Fixture.parameters([("max_age", "60"), ("prompt", "none")]), sessionCookie: session.cookie)
        guard case .respond(let refused) = none.step else {
            Issue.record("expected an error response")
            return
        }
        #expect(refused.value("error") == "login_required")

        fixture.test.clock.advance(8 * 3600)
        #expect(fixture.broker.sessions.session(cookie: session.cookie) == nil, "sessions last eight hours")
    }

    @Test("consent is remembered per client and scope set, and revocable")
    func consent() throws {
        let fixture = try Fixture()
        let consents = fixture.broker.consents
        #expect(!consents.covers(citizenID: Citizens.a, clientID: "rp", scopes: ["openid"], claims: ["sub"]))
        try consents.grant(citizenID: Citizens.a, clientID: "rp", scopes: ["openid", "profile"], claims: ["sub", "birthdate"])
        #expect(consents.covers(citizenID: Citizens.a, clientID: "rp", scopes: ["openid"], claims: ["sub"]))
        #expect(!consents.covers(citizenID: Citizens.a, clientID: "rp", scopes: ["openid", "pid"], claims: ["sub", "pid"]), "a new scope asks again")
        #expect(!consents.covers(citizenID: Citizens.a, clientID: "other", scopes: ["openid"], claims: ["sub"]))
        let firstGiven = fixture.test.clock.now
        fixture.test.clock.advance(60)
        try consents.grant(citizenID: Citizens.a, clientID: "rp", scopes: ["openid", "pid"], claims: ["sub", "pid"])
        let extended = try #require(try consents.list(citizenID: Citizens.a).first)
        #expect(extended.scopes == ["openid", "profile", "pid"], "consents add up")
        #expect(extended.claims == ["sub", "birthdate", "pid"])
        #expect(extended.grantedAt == firstGiven && extended.updatedAt == firstGiven + 60, "extending keeps when it was first given")

        try fixture.broker.store.addGrant(GrantRecord(
            id: "grt_1", clientID: "rp", citizenID: Citizens.a, scopes: ["openid"], authTime: 0, acr: "a", amr: [],
            createdAt: 0, expiresAt: fixture.test.clock.now + 1_000))
        try consents.revoke(citizenID: Citizens.a, clientID: "rp")
        #expect(try consents.list(citizenID: Citizens.a).isEmpty)
        #expect(!consents.covers(citizenID: Citizens.a, clientID: "rp", scopes: ["openid"], claims: ["sub"]))
        #expect(try fixture.broker.store.grant(id: "grt_1").revokedAt != nil, "revoking consent revokes the client's grants")
        #expect(throws: OAuthError.notFound("no consent for rp")) { try consents.revoke(citizenID: Citizens.a, clientID: "rp") }
        let events = try fixture.broker.store.audit(citizenID: Citizens.a, limit: 20, beforeSequence: nil).map(\.action)
        #expect(events.contains("consent.revoked"))
    }

    @Test("the /authorize pipeline runs its checks in the documented order")
    func pipelineOrder() {
        #expect(AuthorizationPipeline.authorize.map(\.name) == [
            "client", "redirect_uri", "duplicate parameters", "response_type", "response_mode", "scope", "pkce", "state", "nonce",
            "prompt", "max_age", "acr_values", "login_hint", "idp_hint", "ui_locales", "claims", "request, request_uri",
        ])
    }

    @Test("RFC 8252 §7.3: a native client's loopback redirect matches on any port, nothing else is loose", arguments: [
        ("http://127.0.0.1/cb", true), ("http://127.0.0.1:49152/cb", true), ("http://127.0.0.1:65535/cb", true),
        ("http://127.0.0.1:65536/cb", false), ("http://127.0.0.1:/cb", false), ("http://127.0.0.1:80/cb/", false),
        ("http://127.0.0.1.evil.example/cb", false), ("http://localhost:4000/cb", false), ("https://127.0.0.1:4000/cb", false),
        ("http://127.0.0.1:4000/cb?x=1", false), ("http://127.0.0.1:4000@evil.example/cb", false),
    ])
    func loopback(_ item: (String, Bool)) {
        #expect(RedirectURIMatcher.matches(item.0, registered: ["http://127.0.0.1/cb"], native: true) == item.1, "\(item.0)")
        #expect(!RedirectURIMatcher.matches("http://127.0.0.1:4000/cb", registered: ["http://127.0.0.1/cb"], native: false))
    }
}
