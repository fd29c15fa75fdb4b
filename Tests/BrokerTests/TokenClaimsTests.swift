import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

@Suite("ID token and access token claims (OIDC Core §2, RFC 9068)")
struct TokenClaimsTests {
    @Test("the ID token carries every claim of OIDC Core §2 and the assurance levels")
    func idTokenClaims() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "web-a", redirectURI: "https://a.example/cb", scopes: ["openid", "profile"])
        let response = try f.redeem(code, credentials: f.webACredentials(try f.assertion()))
        let idToken = try #require(response.idToken)
        let claims = try f.verify(idToken)
        let header = try JWS.decodeUnverified(idToken).header
        #expect(header["alg"] == "ES256" && header["typ"] == "JWT" && header["kid"]?.stringValue != nil)
        #expect(claims["iss"]?.stringValue == f.broker.configuration.issuer)
        #expect(claims["aud"] == "web-a" && claims["azp"] == "web-a")
        #expect(claims["exp"]?.intValue == f.clock.now + 3_600 && claims["iat"]?.intValue == f.clock.now)
        #expect(claims["auth_time"]?.intValue == f.clock.now - 5)
        #expect(claims["nonce"] == "n-0S6")
        #expect(claims["acr"] == "phisut:ial-2.3:aal-2.2")
        #expect(claims["amr"] == ["swk", "pin", "mfa"])
        #expect(claims["sid"] == "sid-1")
        #expect(claims["ial"] == "2.3" && claims["aal"] == "2.2")
        #expect(claims["sub"]?.stringValue == f.broker.pairwise.subject(citizenID: BackChannelFixture.citizen, sector: "a.example"))
        // at_hash: left half of SHA-256 of the access token (ES256).
        let digest = Crypto.sha256(response.accessToken.utf8)
        #expect(claims["at_hash"]?.stringValue == Base64URL.encode(digest.prefix(16)))
        // No user claims unless claims.id_token asks.
        #expect(claims["given_name"] == nil && claims["pid"] == nil)
    }

    @Test("EdDSA ID tokens use SHA-512 for at_hash")
    func edDSAAtHash() throws {
        let f = try BackChannelFixture()
        let code = try f.code(client: "web-b", redirectURI: "https://b.example/cb", scopes: ["openid"])
        let response = try f.redeem(code, credentials: BackChannelFixture.webB)
        let idToken = try #require(response.idToken)
        #expect(try JWS.decodeUnverified(idToken).header["alg"] == "EdDSA")
        let claims = try f.verify(idToken)
        let expected = Base64URL.encode(Crypto.sha512(response.accessToken.utf8).prefix(32))
        #expect(claims["at_hash"]?.stringValue == expected)
    }

    @Test("SHA-512 matches FIPS 180-2 vectors")
    func sha512() {
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(Crypto.sha512(Array("abc".utf8))) ==
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        #expect(hex(Crypto.sha512([UInt8]())) ==
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")
        let long = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(hex(Crypto.sha512(Array(long.utf8))) ==
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")
    }

    @Test("sub differs between two sectors for one citizen, and is stable within one")
    func pairwise() throws {
        let f = try BackChannelFixture()
        let a = try f.redeem(try f.code(client: "web-a", redirectURI: "https://a.example/cb", scopes: ["openid"]),
                             credentials: f.webACredentials(try f.assertion()))
        let b = try f.redeem(try f.code(client: "web-b", redirectURI: "https://b.example/cb", scopes: ["openid"]),
                             credentials: BackChannelFixture.webB)
        let a2 = try f.redeem(try f.code(client: "web-a", redirectURI: "https://a.example/cb", scopes: ["openid"]),
                              credentials: f.webACredentials(try f.assertion()))
        let subA = try f.verify(try #require(a.idToken))["sub"]
        let subB = try f.verify(try #require(b.idToken))["sub"]
        #expect(subA != subB)
        #expect(subA == (try f.verify(try #require(a2.idToken))["sub"]))
        #expect(subA?.stringValue?.contains(BackChannelFixture.citizen) == false)
    }

    @Test("claims.id_token puts requested claims into the ID token; pid only with its scope")
    func requestedClaims() throws {
        let f = try BackChannelFixture()
        let request = #"{"id_token":{"given_name#th":null,"birthdate":{"essential":true},"pid":null}}"#
        let withoutPID = try f.redeem(try f.code(client: "web-a", redirectURI: "https://a.example/cb", scopes: ["openid"], claims: request),
                                      credentials: f.webACredentials(try f.assertion()))
        let claims = try f.verify(try #require(withoutPID.idToken))
        #expect(claims["given_name#th"] == "สมหญิง" && claims["birthdate"] == "1990-05-17")
        #expect(claims["pid"] == nil)
        let withPID = try f.redeem(try f.code(client: "web-a", redirectURI: "https://a.example/cb", scopes: ["openid", "pid"], claims: request),
                                   credentials: f.webACredentials(try f.assertion()))
        #expect(try f.verify(try #require(withPID.idToken))["pid"]?.stringValue == BackChannelFixture.citizen)
    }

    @Test("the access token is an RFC 9068 JWT")
    func accessToken() throws {
        let f = try BackChannelFixture()
        let response = try f.redeem(try f.code(client: "native", redirectURI: "http://127.0.0.1/callback"), credentials: BackChannelFixture.native)
        let header = try JWS.decodeUnverified(response.accessToken).header
        #expect(header["typ"] == "at+jwt")
        let claims = try f.verify(response.accessToken)
        for name in ["iss", "exp", "aud", "sub", "client_id", "iat", "jti", "scope", "auth_time", "acr", "amr", "gid"] {
            #expect(claims[name] != nil, "missing \(name)")
        }
        #expect(claims["exp"]?.intValue == f.clock.now + 600)
        #expect(claims["aud"] == "native")
    }
}
