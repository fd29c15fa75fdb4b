import Foundation
import HTTP
import JOSE
import JSON
import Storage
import Testing
@testable import Broker
@testable import BrokerHTTP

/// The back-channel endpoints over both transports. Codes are created in the store directly,
/// as the front channel would.
@Suite("Back-channel endpoints, in-process and over a socket")
struct BackChannelEndpointTests {
    static let basic = "Basic " + Data("partner:p-secret".utf8).base64EncodedString()

    func app(_ transport: Transport) throws -> TestApp {
        let app = try TestApp(transport)
        let validator = app.broker.configuration.clientValidator
        app.broker.clients.add(try validator.validateFile([
            "client_id": "partner", "token_endpoint_auth_method": "client_secret_basic", "client_secret": "p-secret",
            "grant_types": ["client_credentials"], "scope": "partner.read",
        ]))
        app.broker.clients.add(try validator.validateFile([
            "client_id": "native", "application_type": "native", "token_endpoint_auth_method": "none",
            "redirect_uris": ["http://127.0.0.1/callback"], "grant_types": ["authorization_code", "refresh_token"],
            "id_token_signed_response_alg": "ES256",
        ]))
        try app.broker.store.upsertCitizen(CitizenRecord(
            id: Citizens.a, givenNameTH: "สมหญิง", givenNameEN: "Somying", familyNameTH: "ใจดี", familyNameEN: "Jaidee",
            birthdate: "1990-05-17", ial: "2.3", createdAt: 0, updatedAt: 0))
        return app
    }

    func form(_ app: TestApp, _ path: String, _ body: String, headers: [(String, String)] = []) throws -> Reply {
        try app.request("POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: Array(body.utf8))
    }

    /// A code for `native`, stored as the front channel stores it; returns code and verifier.
    func code(_ app: TestApp, scopes: [String]) throws -> (String, String) {
        let code = Crypto.randomToken()
        let verifier = Crypto.randomToken()
        let now = Int64(Date().timeIntervalSince1970)
        try app.broker.store.addAuthorizationCode(AuthorizationCodeRecord(
            id: SecretHash.of(code), clientID: "native", redirectURI: "http://127.0.0.1:4000/callback", citizenID: Citizens.a,
            scopes: scopes, nonce: "n1", codeChallenge: PKCE.challenge(for: verifier), codeChallengeMethod: "S256",
            authTime: now, acr: "phisut:ial-2.3:aal-2.2", amr: ["swk", "pin", "mfa"], grantID: "grt_" + Crypto.randomToken(bytes: 16),
            createdAt: now, expiresAt: now + 60))
        return (code, verifier)
    }

    @Test("client_credentials with client_secret_basic", arguments: Transport.allCases)
    func clientCredentials(_ transport: Transport) throws {
        let app = try app(transport)
        let reply = try form(app, "/token", "grant_type=client_credentials", headers: [("Authorization", Self.basic)])
        #expect(reply.status == 200)
        #expect(reply.header("Cache-Control") == "no-store")
        #expect(reply.json["token_type"] == "Bearer" && reply.json["scope"] == "partner.read")
        #expect(reply.json["refresh_token"] == nil && reply.json["id_token"] == nil)
        let token = try #require(reply.json["access_token"]?.stringValue)
        #expect(try JWS.decodeUnverified(token).header["typ"] == "at+jwt")
    }

    @Test("token endpoint refusals", arguments: Transport.allCases)
    func tokenRefusals(_ transport: Transport) throws {
        let app = try app(transport)
        let wrongSecret = try form(app, "/token", "grant_type=client_credentials",
                                   headers: [("Authorization", "Basic " + Data("partner:nope".utf8).base64EncodedString())])
        #expect(wrongSecret.status == 401 && wrongSecret.json["error"] == "invalid_client")
        #expect(wrongSecret.header("WWW-Authenticate")?.hasPrefix("Basic") == true)

        let duplicate = try form(app, "/token", "grant_type=client_credentials&scope=a&scope=b", headers: [("Authorization", Self.basic)])
        #expect(duplicate.status == 400 && duplicate.json["error"] == "invalid_request")

        let twoMethods = try form(app, "/token", "grant_type=client_credentials&client_secret=p-secret", headers: [("Authorization", Self.basic)])
        #expect(twoMethods.status == 400 && twoMethods.json["error"] == "invalid_request")

        let unsupported = try form(app, "/token", "grant_type=password&username=a&password=b", headers: [("Authorization", Self.basic)])
        #expect(unsupported.status == 400 && unsupported.json["error"] == "unsupported_grant_type")

        let publicClient = try form(app, "/token", "grant_type=client_credentials&client_id=native")
        #expect(publicClient.status == 400 && publicClient.json["error"] == "unauthorized_client")

        let json = try app.json("POST", "/token", ["grant_type": "client_credentials"])
        #expect(json.status == 400 && json.json["error"] == "invalid_request")

        let get = try app.request("GET", "/token")
        #expect(get.status == 405)
    }

    @Test("code → tokens → userinfo (header and form) → refresh", arguments: Transport.allCases)
    func codeFlow(_ transport: Transport) throws {
        let app = try app(transport)
        let (code, verifier) = try code(app, scopes: ["openid", "profile", "offline_access"])
        let redirect = FormEncoding.escape("http://127.0.0.1:4000/callback")
        let tokens = try form(app, "/token", "grant_type=authorization_code&code=\(code)&code_verifier=\(verifier)&redirect_uri=\(redirect)&client_id=native")
        #expect(tokens.status == 200, "\(tokens.text)")
        #expect(tokens.header("Cache-Control") == "no-store")
        let access = try #require(tokens.json["access_token"]?.stringValue)
        #expect(tokens.json["id_token"]?.stringValue != nil)
        let refresh = try #require(tokens.json["refresh_token"]?.stringValue)

        let viaHeader = try app.request("GET", "/userinfo", headers: [("Authorization", "Bearer \(access)")])
        #expect(viaHeader.status == 200)
        #expect(viaHeader.json["given_name#th"] == "สมหญิง" && viaHeader.json["pid"] == nil && viaHeader.json["sub"]?.stringValue != nil)
        let viaForm = try form(app, "/userinfo", "access_token=\(access)")
        #expect(viaForm.status == 200 && viaForm.json == viaHeader.json)

        let both = try form(app, "/userinfo", "access_token=\(access)", headers: [("Authorization", "Bearer \(access)")])
        #expect(both.status == 400 && both.json["error"] == "invalid_request")
        let none = try app.request("GET", "/userinfo")
        #expect(none.status == 401 && none.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        let bad = try app.request("GET", "/userinfo", headers: [("Authorization", "Bearer nope")])
        #expect(bad.status == 401 && bad.json["error"] == "invalid_token")

        let again = try form(app, "/token", "grant_type=authorization_code&code=\(code)&code_verifier=\(verifier)&redirect_uri=\(redirect)&client_id=native")
        #expect(again.status == 400 && again.json["error"] == "invalid_grant")
        let refreshed = try form(app, "/token", "grant_type=refresh_token&refresh_token=\(refresh)&client_id=native")
        #expect(refreshed.status == 400 && refreshed.json["error"] == "invalid_grant")   // the reuse revoked the grant
    }

    @Test("introspection and revocation", arguments: Transport.allCases)
    func introspectAndRevoke(_ transport: Transport) throws {
        let app = try app(transport)
        let token = try #require(try form(app, "/token", "grant_type=client_credentials", headers: [("Authorization", Self.basic)])
            .json["access_token"]?.stringValue)
        let active = try form(app, "/introspect", "token=\(token)", headers: [("Authorization", Self.basic)])
        #expect(active.status == 200 && active.json["active"] == true && active.json["client_id"] == "partner")
        let unauthenticated = try form(app, "/introspect", "token=\(token)")
        #expect(unauthenticated.status == 401 && unauthenticated.json["error"] == "invalid_client")
        let publicClient = try form(app, "/introspect", "token=\(token)&client_id=native")
        #expect(publicClient.status == 401)

        #expect(try form(app, "/revoke", "token=unknown-token", headers: [("Authorization", Self.basic)]).status == 200)
        #expect(try form(app, "/revoke", "token=\(token)&token_type_hint=access_token", headers: [("Authorization", Self.basic)]).status == 200)
        let inactive = try form(app, "/introspect", "token=\(token)", headers: [("Authorization", Self.basic)])
        #expect(inactive.json == ["active": false])
        let missing = try form(app, "/revoke", "token_type_hint=access_token", headers: [("Authorization", Self.basic)])
        #expect(missing.status == 400 && missing.json["error"] == "invalid_request")
    }

    @Test("discovery lists the back channel", arguments: [Transport.inProcess])
    func discovery(_ transport: Transport) throws {
        let app = try app(transport)
        let document = try app.request("GET", "/.well-known/openid-configuration").json
        #expect(document["token_endpoint"]?.stringValue == app.baseURL + "/token")
        #expect(document["userinfo_endpoint"]?.stringValue == app.baseURL + "/userinfo")
        #expect(document["introspection_endpoint"]?.stringValue == app.baseURL + "/introspect")
        #expect(document["revocation_endpoint"]?.stringValue == app.baseURL + "/revoke")
        #expect(document["grant_types_supported"] == ["authorization_code", "client_credentials", "refresh_token",
                                                      "urn:openid:params:grant-type:ciba"])   // ciba
        #expect(document["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post", "none", "private_key_jwt"])
    }
}
