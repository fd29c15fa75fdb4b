import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

/// Findings of the security review on the domain side, each pinned by the attack that used to
/// get through.
@Suite("Security review: races and caps")
struct SecurityReviewDomainTests {
    @Test("push bombing: many concurrent logins for one citizen leave at most maxPendingApprovals on the phone")
    func concurrentLoginsRespectThePendingCap() async throws {
        let f = try LoginFlowDomainTests.Fixture()
        let broker = f.broker
        let requestIDs = try (0..<12).map { _ in
            let progress = try broker.authorization.authorize(LoginFlowDomainTests.Fixture.parameters(), sessionCookie: nil)
            guard case .login(let id) = progress.step else { throw LoginFlowDomainTests.Failure("expected the login page") }
            return id
        }
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for id in requestIDs {
                group.addTask { (try? broker.authorization.submitCitizenID(requestID: id, citizenID: Citizens.a)) != nil }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        let cap = broker.configuration.maxPendingApprovals
        #expect(admitted == cap)
        #expect(try broker.store.pendingApprovals(citizenID: Citizens.a, now: f.test.clock.now).count == cap)
    }

    @Test("push bombing: concurrent CIBA requests for one citizen leave at most maxPendingApprovals")
    func concurrentCIBARespectsThePendingCap() async throws {
        let f = try CIBAFixture()
        let broker = f.broker
        let request = BackchannelAuthenticationRequest(
            parameters: ["scope": "openid", "login_hint": Citizens.a], credentials: CIBAFixture.pollCredentials)
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<12 {
                group.addTask { (try? broker.ciba.authenticate(request)) != nil }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        let cap = f.broker.configuration.maxPendingApprovals
        #expect(admitted == cap)
        #expect(try f.broker.store.pendingApprovals(citizenID: Citizens.a, now: f.clock.now).count == cap)
    }

    @Test("a code redeemed by concurrent /token calls: exactly one wins, and the reuse revokes what it got")
    func concurrentCodeRedemption() async throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback")
        let broker = f.broker
        let request = TokenRequest(
            grantType: "authorization_code",
            parameters: ["code": code.code, "code_verifier": code.verifier, "redirect_uri": code.redirectURI],
            credentials: BackChannelFixture.native)
        let outcomes = await withTaskGroup(of: TokenResponse?.self) { group in
            for _ in 0..<8 {
                group.addTask { try? broker.tokenEndpoint.token(request) }
            }
            return await group.reduce(into: [TokenResponse]()) { if let response = $1 { $0.append(response) } }
        }
        #expect(outcomes.count == 1)
        // RFC 6749 §4.1.2: the losers are reuses, so the winner's tokens are revoked as well.
        #expect(try broker.store.grant(id: code.grantID).revokedAt != nil)
        let winner = try #require(outcomes.first)
        #expect(throws: OAuthError.self) { try broker.userInfo.claims(accessToken: winner.accessToken) }
    }

    @Test("a refresh token used by concurrent /token calls: exactly one rotation wins")
    func concurrentRefresh() async throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback")
        let refresh = try #require(try f.redeem(code, credentials: BackChannelFixture.native).refreshToken)
        let broker = f.broker
        let request = TokenRequest(grantType: "refresh_token", parameters: ["refresh_token": refresh], credentials: BackChannelFixture.native)
        let winners = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (try? broker.tokenEndpoint.token(request)) != nil }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(winners == 1)
        #expect(try broker.store.grant(id: code.grantID).revokedAt != nil)
    }

    @Test("id_token_hint: once the citizen revoked the client's consent, an old ID token no longer reaches their phone")
    func idTokenHintAfterConsentRevoked() throws {
        let f = try CIBAFixture()
        let first = try f.start()
        try f.decide(first.authReqID, approve: true)
        let idToken = try #require(try f.poll(first.authReqID).idToken)
        try f.broker.consents.revoke(citizenID: Citizens.a, clientID: "desk-poll")
        let refusal = refusalOf { try f.start(["scope": "openid", "id_token_hint": idToken], defaults: false) }
        #expect(refusal?.code == "unknown_user_id")
    }

    @Test("revoking a consent revokes the client's grants with it, in one transaction")
    func consentRevocationRevokesGrants() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback")
        _ = try f.redeem(code, credentials: BackChannelFixture.native)
        try f.broker.consents.grant(citizenID: BackChannelFixture.citizen, clientID: "native", scopes: ["openid"], claims: [])
        try f.broker.consents.revoke(citizenID: BackChannelFixture.citizen, clientID: "native")
        #expect(try f.broker.store.grant(id: code.grantID).revokedAt != nil)
        #expect(throws: OAuthError.self) { try f.broker.consents.revoke(citizenID: BackChannelFixture.citizen, clientID: "native") }
    }
}
