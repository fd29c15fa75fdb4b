import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

@Suite("Userinfo, introspection and revocation (OIDC Core §5.3, RFC 7662, RFC 7009)")
struct ResourceEndpointTests {
    func tokens(_ f: BackChannelFixture, scopes: [String], claims: String? = nil) throws -> TokenResponse {
        try f.redeem(try f.code(client: "web-a", redirectURI: "https://a.example/cb", scopes: scopes, claims: claims),
                     credentials: f.webACredentials(try f.assertion()))
    }

    func client(_ f: BackChannelFixture, _ id: String) throws -> Client { try #require(f.broker.clients.client(id: id)) }

    @Test("userinfo claims per scope", arguments: [
        (["openid"], Set(["sub", "ial", "aal"])),
        (["openid", "profile"], Set(["sub", "ial", "aal"]).union(ClaimsRelease.profileClaims)),
        (["openid", "pid"], Set(["sub", "ial", "aal", "pid"])),
        (["openid", "profile", "pid"], Set(["sub", "ial", "aal", "pid"]).union(ClaimsRelease.profileClaims)),
    ])
    func userinfoScopes(_ scopes: [String], _ expected: Set<String>) throws {
        let f = try BackChannelFixture()
        let response = try tokens(f, scopes: scopes)
        let claims = try f.broker.userInfo.claims(accessToken: response.accessToken)
        #expect(Set(claims.objectValue?.keys.map { $0 } ?? []) == expected)
        #expect(claims["sub"] == (try f.verify(try #require(response.idToken))["sub"]))
        if expected.contains("pid") { #expect(claims["pid"]?.stringValue == BackChannelFixture.citizen) }
        if expected.contains("name#th") {
            #expect(claims["name#th"] == "สมหญิง ใจดี" && claims["name"] == "Somying Jaidee" && claims["family_name#en"] == "Jaidee")
        }
    }

    @Test("claims.userinfo adds individual claims, but never pid without its scope")
    func userinfoClaimsRequest() throws {
        let f = try BackChannelFixture()
        let response = try tokens(f, scopes: ["openid"], claims: #"{"userinfo":{"birthdate":null,"pid":{"essential":true}}}"#)
        let claims = try f.broker.userInfo.claims(accessToken: response.accessToken)
        #expect(claims["birthdate"] == "1990-05-17")
        #expect(claims["pid"] == nil && claims["given_name"] == nil)
    }

    @Test("userinfo refuses expired, revoked, foreign and non-openid tokens")
    func userinfoRefusals() throws {
        let f = try BackChannelFixture()
        let response = try tokens(f, scopes: ["openid"])
        #expect(oauthError { () throws(OAuthError) in try f.broker.userInfo.claims(accessToken: "garbage") }?.code == "invalid_token")
        // A token signed by a key that is not ours.
        let stranger = try JWK.generate(for: .es256, kid: try f.broker.keys.signingKey(for: .es256).kid)
        let forged = try JWT.sign(claims: try BackChannelFixture.claims(response.accessToken).objectValue ?? [:], key: stranger,
                                  algorithm: .es256, type: "at+jwt")
        #expect(oauthError { () throws(OAuthError) in try f.broker.userInfo.claims(accessToken: forged) }?.code == "invalid_token")
        // An ID token is not an access token (typ).
        let idToken = try #require(response.idToken)
        #expect(oauthError { () throws(OAuthError) in try f.broker.userInfo.claims(accessToken: idToken) }?.code == "invalid_token")
        // client_credentials tokens carry no openid scope.
        let partner = try f.broker.tokenEndpoint.token(TokenRequest(grantType: "client_credentials", parameters: [:], credentials: BackChannelFixture.partner))
        let insufficient = oauthError { () throws(OAuthError) in try f.broker.userInfo.claims(accessToken: partner.accessToken) }
        #expect(insufficient?.code == "insufficient_scope" && insufficient?.status == 403)
        f.clock.advance(601)
        #expect(oauthError { () throws(OAuthError) in try f.broker.userInfo.claims(accessToken: response.accessToken) }?.code == "invalid_token")
    }

    @Test("introspection: active tokens described, everything else inactive")
    func introspection() throws {
        let f = try BackChannelFixture()
        let response = try tokens(f, scopes: ["openid", "offline_access"])
        let webA = try client(f, "web-a")
        let webB = try client(f, "web-b")
        let access = try f.broker.introspection.introspect(token: response.accessToken, hint: nil, client: webA)
        #expect(access["active"] == true)
        #expect(access["scope"] == "openid offline_access" && access["client_id"] == "web-a" && access["token_type"] == "access_token")
        for name in ["sub", "exp", "iat", "iss", "aud"] { #expect(access[name] != nil) }
        let refresh = try #require(response.refreshToken)
        let active = try f.broker.introspection.introspect(token: refresh, hint: "refresh_token", client: webA)
        #expect(active["active"] == true && active["token_type"] == "refresh_token")
        #expect(active["sub"] == access["sub"])
        // Another client's refresh token, unknown tokens: inactive.
        #expect(try f.broker.introspection.introspect(token: refresh, hint: nil, client: webB) == ["active": false])
        #expect(try f.broker.introspection.introspect(token: "nope", hint: nil, client: webA) == ["active": false])
        #expect(try f.broker.introspection.introspect(token: "a.b.c", hint: "access_token", client: webA) == ["active": false])
        // Expired access token: inactive.
        f.clock.advance(601)
        #expect(try f.broker.introspection.introspect(token: response.accessToken, hint: nil, client: webA) == ["active": false])
    }

    @Test("revoking a refresh token revokes its grant and the access tokens of the grant")
    func revokeRefresh() throws {
        let f = try BackChannelFixture()
        let response = try tokens(f, scopes: ["openid", "offline_access"])
        let webA = try client(f, "web-a")
        let refresh = try #require(response.refreshToken)
        // Another client cannot revoke it.
        try f.broker.revocation.revoke(token: refresh, hint: nil, client: try client(f, "web-b"))
        #expect(try f.broker.introspection.introspect(token: refresh, hint: nil, client: webA)["active"] == true)
        try f.broker.revocation.revoke(token: refresh, hint: "refresh_token", client: webA)
        #expect(try f.broker.introspection.introspect(token: refresh, hint: nil, client: webA) == ["active": false])
        #expect(try f.broker.introspection.introspect(token: response.accessToken, hint: nil, client: webA) == ["active": false])
        let credentials = f.webACredentials(try f.assertion())
        #expect(oauthError { () throws(OAuthError) in try f.refresh(refresh, credentials: credentials) }?.code == "invalid_grant")
        let events = try f.broker.store.audit(citizenID: BackChannelFixture.citizen, limit: 20, beforeSequence: nil)
        #expect(events.contains { $0.action == "token.revoked" })
    }

    @Test("revoking an access token revokes its jti and its grant; unknown tokens are fine")
    func revokeAccess() throws {
        let f = try BackChannelFixture()
        let partner = try client(f, "partner")
        let cc = try f.broker.tokenEndpoint.token(TokenRequest(grantType: "client_credentials", parameters: [:], credentials: BackChannelFixture.partner))
        #expect(try f.broker.introspection.introspect(token: cc.accessToken, hint: nil, client: partner)["active"] == true)
        // Not the partner's token: ignored.
        try f.broker.revocation.revoke(token: cc.accessToken, hint: nil, client: try client(f, "web-b"))
        #expect(try f.broker.introspection.introspect(token: cc.accessToken, hint: nil, client: partner)["active"] == true)
        try f.broker.revocation.revoke(token: cc.accessToken, hint: "access_token", client: partner)
        #expect(try f.broker.introspection.introspect(token: cc.accessToken, hint: nil, client: partner) == ["active": false])
        try f.broker.revocation.revoke(token: "unknown", hint: nil, client: partner)
        try f.broker.revocation.revoke(token: cc.accessToken, hint: nil, client: partner)   // twice is fine

        let response = try tokens(f, scopes: ["openid", "offline_access"])
        try f.broker.revocation.revoke(token: response.accessToken, hint: nil, client: try client(f, "web-a"))
        #expect(oauthError { () throws(OAuthError) in try f.broker.userInfo.claims(accessToken: response.accessToken) }?.code == "invalid_token")
        #expect(try f.broker.introspection.introspect(token: try #require(response.refreshToken), hint: nil, client: try client(f, "web-a")) == ["active": false])
    }
}
