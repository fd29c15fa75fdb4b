import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

@Suite("Token endpoint grants (RFC 6749 §4.1.3, §6, §4.4; RFC 7636)")
struct TokenGrantTests {
    @Test("a public client redeems its code with PKCE: ID, access and refresh tokens")
    func publicRedemption() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1:51234/callback")
        let response = try f.redeem(code, credentials: BackChannelFixture.native)
        #expect(response.refreshToken != nil)
        #expect(response.scopes == ["openid", "profile", "offline_access"])
        let idToken = try f.verify(try #require(response.idToken))
        #expect(idToken["aud"]?.stringValue == "native")
        #expect(idToken["nonce"]?.stringValue == "n-0S6")
        let access = try f.verify(response.accessToken)
        #expect(access["gid"]?.stringValue == code.grantID)
        let grant = try f.broker.store.grant(id: code.grantID)
        #expect(grant.revokedAt == nil && grant.citizenID == BackChannelFixture.citizen)
        #expect(try f.broker.store.authorizationCode(hash: SecretHash.of(code.code)).redeemedAt == f.clock.now)
        let json = try JSONValue(parsing: response.json)
        #expect(json["token_type"] == "Bearer")
        #expect(json["expires_in"] == .int(600))
    }

    @Test("a confidential client redeems with private_key_jwt")
    func confidentialRedemption() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "web-a", redirectURI: "https://a.example/cb", scopes: ["openid", "pid"])
        let response = try f.redeem(code, credentials: f.webACredentials(try f.assertion()))
        #expect(response.refreshToken == nil)   // no offline_access
        #expect(response.idToken != nil)
    }

    @Test("wrong code_verifier", arguments: ["wrong-but-well-formed-verifier-0123456789abcdef", "short", String(repeating: "a", count: 129), "has space in it and is long enough to pass the length check ....."])
    func wrongVerifier(_ verifier: String) throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback")
        let error = oauthError { () throws(OAuthError) in try f.redeem(code, credentials: BackChannelFixture.native, verifier: verifier) }
        #expect(error?.code == "invalid_grant")
        // The right verifier still works: a wrong guess does not burn the code.
        #expect(oauthError { () throws(OAuthError) in try f.redeem(code, credentials: BackChannelFixture.native) } == nil)
    }

    @Test("a public client's code without a PKCE challenge is refused")
    func publicWithoutPKCE() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback", pkce: false)
        #expect(oauthError { () throws(OAuthError) in try f.redeem(code, credentials: BackChannelFixture.native) }?.code == "invalid_grant")
    }

    @Test("a reused code is refused and revokes what the first redemption issued")
    func reusedCode() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback")
        let first = try f.redeem(code, credentials: BackChannelFixture.native)
        let second = oauthError { () throws(OAuthError) in try f.redeem(code, credentials: BackChannelFixture.native) }
        #expect(second?.code == "invalid_grant")
        #expect(try f.broker.store.grant(id: code.grantID).revokedAt != nil)
        // The refresh token of the first redemption stops working…
        let firstRefresh = try #require(first.refreshToken)
        let refresh = oauthError { () throws(OAuthError) in try f.refresh(firstRefresh, credentials: BackChannelFixture.native) }
        #expect(refresh?.code == "invalid_grant")
        // …and so does its access token.
        #expect(oauthError { () throws(OAuthError) in try f.broker.userInfo.claims(accessToken: first.accessToken) }?.code == "invalid_token")
        let events = try f.broker.store.audit(citizenID: BackChannelFixture.citizen, limit: 10, beforeSequence: nil)
        #expect(events.contains { $0.action == "token.code_reuse" })
    }

    @Test("an expired code is refused")
    func expiredCode() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback")
        f.clock.advance(61)
        #expect(oauthError { () throws(OAuthError) in try f.redeem(code, credentials: BackChannelFixture.native) }?.code == "invalid_grant")
    }

    @Test("a code redeemed by another client is refused")
    func otherClient() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback")
        let error = oauthError { () throws(OAuthError) in try f.redeem(code, credentials: BackChannelFixture.webB) }
        #expect(error?.code == "invalid_grant")
        #expect(try f.broker.store.authorizationCode(hash: SecretHash.of(code.code)).redeemedAt == nil)
    }

    @Test("redirect_uri must be identical to the stored one")
    func redirectMismatch() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "web-b", redirectURI: "https://b.example/cb")
        let error = oauthError { () throws(OAuthError) in try f.redeem(code, credentials: BackChannelFixture.webB, redirectURI: "https://b.example/cb/") }
        #expect(error?.code == "invalid_grant")
        #expect(oauthError { () throws(OAuthError) in try f.redeem(code, credentials: BackChannelFixture.webB) } == nil)
    }

    @Test("an unknown code is refused")
    func unknownCode() throws {
        let f = try BackChannelFixture()
        let fake = BackChannelFixture.IssuedCode(code: "nope", verifier: String(repeating: "v", count: 43), redirectURI: "https://b.example/cb", grantID: "g")
        #expect(oauthError { () throws(OAuthError) in try f.redeem(fake, credentials: BackChannelFixture.webB) }?.code == "invalid_grant")
    }

    @Test("refresh rotates; reuse of a rotated token revokes the whole family")
    func refreshRotation() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback")
        let first = try f.redeem(code, credentials: BackChannelFixture.native)
        let r1 = try #require(first.refreshToken)
        f.clock.advance(10)
        let second = try f.refresh(r1, credentials: BackChannelFixture.native)
        let r2 = try #require(second.refreshToken)
        #expect(r2 != r1)
        #expect(try f.verify(try #require(second.idToken))["nonce"] == nil)
        // r1 again: reuse → invalid_grant, grant revoked, r2 dead too.
        #expect(oauthError { () throws(OAuthError) in try f.refresh(r1, credentials: BackChannelFixture.native) }?.code == "invalid_grant")
        #expect(try f.broker.store.grant(id: code.grantID).revocationReason == "refresh token reuse")
        #expect(oauthError { () throws(OAuthError) in try f.refresh(r2, credentials: BackChannelFixture.native) }?.code == "invalid_grant")
        let events = try f.broker.store.audit(citizenID: BackChannelFixture.citizen, limit: 20, beforeSequence: nil)
        #expect(events.contains { $0.action == "token.refresh_reuse" })
        #expect(events.contains { $0.action == "token.refreshed" })
    }

    @Test("refresh may narrow the scope, never widen it; another client's token is refused")
    func refreshScope() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback")
        let refresh = try #require(try f.redeem(code, credentials: BackChannelFixture.native).refreshToken)
        #expect(oauthError { () throws(OAuthError) in try f.refresh(refresh, credentials: BackChannelFixture.native, scope: "openid pid") }?.code == "invalid_scope")
        #expect(oauthError { () throws(OAuthError) in try f.refresh(refresh, credentials: BackChannelFixture.webB) }?.code == "invalid_grant")
        let narrowed = try f.refresh(refresh, credentials: BackChannelFixture.native, scope: "openid offline_access")
        #expect(narrowed.scopes == ["openid", "offline_access"])
        #expect(try f.verify(narrowed.accessToken)["scope"] == "openid offline_access")
        // The rotated token keeps the original scope.
        let again = try f.refresh(try #require(narrowed.refreshToken), credentials: BackChannelFixture.native)
        #expect(again.scopes == ["openid", "profile", "offline_access"])
    }

    @Test("a refresh token expires")
    func refreshExpiry() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback")
        let refresh = try #require(try f.redeem(code, credentials: BackChannelFixture.native).refreshToken)
        f.clock.advance(30 * 86_400)
        #expect(oauthError { () throws(OAuthError) in try f.refresh(refresh, credentials: BackChannelFixture.native) }?.code == "invalid_grant")
    }

    @Test("no refresh token without offline_access, or for a client without the refresh_token grant")
    func noOffline() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "native", redirectURI: "http://127.0.0.1/callback", scopes: ["openid"])
        #expect(try f.redeem(code, credentials: BackChannelFixture.native).refreshToken == nil)
        let validator = f.broker.configuration.clientValidator
        f.broker.clients.add(try validator.validateFile([
            "client_id": "no-refresh", "token_endpoint_auth_method": "client_secret_post", "client_secret": "s",
            "redirect_uris": ["https://c.example/cb"], "id_token_signed_response_alg": "ES256",
        ]))
        let other = try f.code(client: "no-refresh", redirectURI: "https://c.example/cb")
        let response = try f.redeem(other, credentials: ClientCredentials(clientID: "no-refresh", clientSecret: "s"))
        #expect(response.refreshToken == nil)
    }

    @Test("client_credentials: API scopes, subject is the client, no ID or refresh token, nothing stored")
    func clientCredentials() throws {
        let f = try BackChannelFixture()
        let response = try f.broker.tokenEndpoint.token(TokenRequest(
            grantType: "client_credentials", parameters: [:], credentials: BackChannelFixture.partner))
        #expect(response.idToken == nil && response.refreshToken == nil)
        #expect(response.scopes == ["partner.read", "partner.write"])
        let access = try f.verify(response.accessToken)
        #expect(access["sub"] == "partner" && access["client_id"] == "partner" && access["gid"] == nil)
        let header = try JWS.decodeUnverified(response.accessToken).header
        #expect(header["typ"] == "at+jwt" && header["alg"] == "ES256")
        #expect(try f.broker.store.list(GrantRecord.self, after: nil, limit: 10).isEmpty)

        let narrowed = try f.broker.tokenEndpoint.token(TokenRequest(
            grantType: "client_credentials", parameters: ["scope": "partner.read"], credentials: BackChannelFixture.partner))
        #expect(narrowed.scopes == ["partner.read"])
        let wide = oauthError { () throws(OAuthError) in
            try f.broker.tokenEndpoint.token(TokenRequest(grantType: "client_credentials", parameters: ["scope": "openid"], credentials: BackChannelFixture.partner))
        }
        #expect(wide?.code == "invalid_scope")
    }

    @Test("endpoint refusals: unsupported grant, grant not registered, public client on client_credentials, missing parameters")
    func endpointRefusals() throws {
        let f = try BackChannelFixture()
        let endpoint = f.broker.tokenEndpoint
        #expect(oauthError { () throws(OAuthError) in
            try endpoint.token(TokenRequest(grantType: "password", parameters: [:], credentials: BackChannelFixture.partner))
        }?.code == "unsupported_grant_type")
        #expect(oauthError { () throws(OAuthError) in
            try endpoint.token(TokenRequest(grantType: "authorization_code", parameters: ["code": "x"], credentials: BackChannelFixture.partner))
        }?.code == "unauthorized_client")
        #expect(oauthError { () throws(OAuthError) in
            try endpoint.token(TokenRequest(grantType: "client_credentials", parameters: [:], credentials: BackChannelFixture.native))
        }?.code == "unauthorized_client")
        #expect(oauthError { () throws(OAuthError) in
            try endpoint.token(TokenRequest(grantType: "", parameters: [:], credentials: BackChannelFixture.native))
        }?.code == "invalid_request")
        #expect(oauthError { () throws(OAuthError) in
            try endpoint.token(TokenRequest(grantType: "authorization_code", parameters: [:], credentials: BackChannelFixture.native))
        }?.code == "invalid_request")
    }

    @Test("PKCE verifier grammar and S256 (RFC 7636 Appendix B)")
    func pkceVector() {
        #expect(PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.verify(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
        #expect(!PKCE.isWellFormed(verifier: String(repeating: "a", count: 42)))
        #expect(PKCE.isWellFormed(verifier: String(repeating: "a", count: 128)))
        #expect(!PKCE.isWellFormed(verifier: String(repeating: "a", count: 42) + "+"))
    }
}
