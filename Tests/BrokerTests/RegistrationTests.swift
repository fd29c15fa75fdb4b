import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

@Suite("Dynamic client registration (RFC 7591, OIDC DCR)")
struct RegistrationTests {
    @Test("a confidential client gets a hashed secret and is served by the registry")
    func confidential() throws {
        let f = try RegistrationFixture()
        let info = try f.register(f.merged(RegistrationFixture.web, ["x_partner_reference": "KTB-42"]))
        let secret = try #require(info.clientSecret)
        #expect(info.json["client_secret_expires_at"] == 0)
        #expect(info.registrationClientURI == f.broker.configuration.issuer + "/register/" + info.clientID)
        #expect(info.json["grant_types"] == ["authorization_code"] && info.json["response_types"] == ["code"])
        // RFC 7591 §2: unknown members are kept, never breaking.
        #expect(info.json["x_partner_reference"] == "KTB-42")
        let record = try f.broker.store.registeredClient(id: info.clientID)
        #expect(record.secretHash == SecretHash.of(secret) && record.partnerID == f.partnerID)
        #expect(record.registrationTokenHash == SecretHash.of(info.registrationAccessToken))
        #expect(!record.metadata.contains(secret) && !record.metadata.contains(info.registrationAccessToken))

        let client = try #require(f.broker.clients.client(id: info.clientID))
        #expect(client.partnerID == f.partnerID && client.displayName("th") == "พอร์ทัลธนาคาร")
        let authenticated = try f.broker.clientAuthenticator.authenticate(
            ClientCredentials(basic: .init(clientID: info.clientID, secret: secret)), endpoint: "x")
        #expect(authenticated.id == info.clientID)
    }

    @Test("a public client gets no secret")
    func publicClient() throws {
        let f = try RegistrationFixture()
        let info = try f.register(RegistrationFixture.native)
        #expect(info.clientSecret == nil && info.json["client_secret"] == nil)
        #expect(try f.broker.store.registeredClient(id: info.clientID).secretHash == nil)
        #expect(f.broker.clients.client(id: info.clientID)?.isPublic == true)
    }

    @Test("the initial access token is required, checked and spent only by a registration that succeeds")
    func initialAccessToken() throws {
        let f = try RegistrationFixture(tokenUses: 1)
        for token in [nil, "iat_wrong"] as [String?] {
            let error = oauthError { () throws(OAuthError) in try f.registration.register(body: RegistrationFixture.native.serialized(), initialAccessToken: token) }
            #expect(error?.code == "invalid_token" && error?.status == 401)
        }
        // A refused registration costs no use…
        let refused = oauthError { () throws(OAuthError) in try f.register(f.merged(RegistrationFixture.native, ["redirect_uris": ["https://x.example/#f"]])) }
        #expect(refused?.code == "invalid_redirect_uri")
        _ = try f.register(RegistrationFixture.native)
        // …and the one use is gone after a success.
        #expect(oauthError { () throws(OAuthError) in try f.register(RegistrationFixture.native) }?.code == "invalid_token")
    }

    @Test("a revoked partner can register no more")
    func revokedPartner() throws {
        let f = try RegistrationFixture()
        _ = try f.register(RegistrationFixture.native)
        try f.broker.partners.revoke(id: f.partnerID)
        #expect(oauthError { () throws(OAuthError) in try f.register(RegistrationFixture.native) }?.code == "invalid_token")
        #expect(try f.broker.partners.list().first?.disabledAt != nil)
        #expect(try f.broker.partners.tokens(partnerID: f.partnerID).allSatisfy { $0.revokedAt != nil })
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let name: String
        let metadata: [String: JSONValue]
        let code: String
        let field: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "redirect URI with a fragment", metadata: ["redirect_uris": ["https://bank.example/cb#x"]],
                code: "invalid_redirect_uri", field: "redirect_uris"),
        Refusal(name: "relative redirect URI", metadata: ["redirect_uris": ["/cb"]], code: "invalid_redirect_uri", field: "redirect_uris"),
        Refusal(name: "web client on plain http", metadata: ["redirect_uris": ["http://bank.example/cb"]],
                code: "invalid_redirect_uri", field: "redirect_uris"),
        Refusal(name: "native app with a scheme not in reverse-domain form",
                metadata: ["application_type": "native", "token_endpoint_auth_method": "none", "redirect_uris": ["myapp:/cb"]],
                code: "invalid_redirect_uri", field: "redirect_uris"),
        Refusal(name: "native app on localhost instead of a loopback IP",
                metadata: ["application_type": "native", "token_endpoint_auth_method": "none", "redirect_uris": ["http://localhost/cb"]],
                code: "invalid_redirect_uri", field: "redirect_uris"),
        Refusal(name: "no redirect URI for authorization_code", metadata: ["redirect_uris": []],
                code: "invalid_redirect_uri", field: "redirect_uris"),
        Refusal(name: "too many redirect URIs",
                metadata: ["redirect_uris": .array((0...20).map { .string("https://bank.example/cb\($0)") })],
                code: "invalid_client_metadata", field: "redirect_uris"),
        Refusal(name: "response type without its grant", metadata: ["grant_types": ["client_credentials"], "response_types": ["code"]],
                code: "invalid_client_metadata", field: "response_types"),
        Refusal(name: "unsupported grant type", metadata: ["grant_types": ["password"]], code: "invalid_client_metadata", field: "grant_types"),
        Refusal(name: "unsupported token endpoint auth method", metadata: ["token_endpoint_auth_method": "client_secret_jwt"],
                code: "invalid_client_metadata", field: "token_endpoint_auth_method"),
        Refusal(name: "jwks and jwks_uri together",
                metadata: ["jwks_uri": "https://bank.example/jwks", "jwks": ["keys": []], "token_endpoint_auth_method": "private_key_jwt"],
                code: "invalid_client_metadata", field: "jwks"),
        Refusal(name: "private_key_jwt without keys", metadata: ["token_endpoint_auth_method": "private_key_jwt"],
                code: "invalid_client_metadata", field: "jwks"),
        Refusal(name: "unsupported ID token algorithm", metadata: ["id_token_signed_response_alg": "HS256"],
                code: "invalid_client_metadata", field: "id_token_signed_response_alg"),
        Refusal(name: "public subject type", metadata: ["subject_type": "public"], code: "invalid_client_metadata", field: "subject_type"),
        Refusal(name: "logo on plain http", metadata: ["logo_uri": "http://bank.example/logo.png"],
                code: "invalid_client_metadata", field: "logo_uri"),
        Refusal(name: "post-logout redirect with a fragment", metadata: ["post_logout_redirect_uris": ["https://bank.example/#bye"]],
                code: "invalid_client_metadata", field: "post_logout_redirect_uris"),
        Refusal(name: "localized name that is not a string", metadata: ["client_name#th": 7],
                code: "invalid_client_metadata", field: "client_name#th"),
        Refusal(name: "scope the broker does not offer", metadata: ["scope": "openid email"], code: "invalid_client_metadata", field: "scope"),
        Refusal(name: "software statement that is not a string", metadata: ["software_statement": 1],
                code: "invalid_software_statement", field: "software_statement"),
        Refusal(name: "redirect URIs on two hosts without sector_identifier_uri",
                metadata: ["redirect_uris": ["https://a.example/cb", "https://b.example/cb"]],
                code: "invalid_client_metadata", field: "sector_identifier_uri"),
    ]

    @Test("each refusal names the member at fault", arguments: refusals)
    func refusal(_ refusal: Refusal) throws {
        let f = try RegistrationFixture()
        let error = oauthError { () throws(OAuthError) in try f.register(f.merged(RegistrationFixture.web, refusal.metadata)) }
        #expect(error?.code == refusal.code)
        #expect(error?.errorDescription.hasPrefix(refusal.field) == true, "\(error?.errorDescription ?? "no error")")
        #expect(try f.broker.store.registeredClients().isEmpty)
    }

    struct BadBody: Sendable, CustomTestStringConvertible {
        let name: String
        let body: [UInt8]
        let code: String
        let status: Int
        var testDescription: String { name }
    }

    @Test("a body that is not JSON, not an object, or too large is refused", arguments: [
        BadBody(name: "form encoding", body: Array("client_name=x".utf8), code: "invalid_client_metadata", status: 400),
        BadBody(name: "an array", body: Array("[]".utf8), code: "invalid_client_metadata", status: 400),
        BadBody(name: "a string", body: Array("\"text\"".utf8), code: "invalid_client_metadata", status: 400),
        BadBody(name: "over 64 KiB", body: Array(repeating: UInt8(ascii: " "), count: RegistrationService.maxBodyBytes + 1),
                code: "invalid_request", status: 413),
    ])
    func badBodies(_ bad: BadBody) throws {
        let f = try RegistrationFixture()
        let error = oauthError { () throws(OAuthError) in try f.registration.register(body: bad.body, initialAccessToken: f.token) }
        #expect(error?.code == bad.code && error?.status == bad.status)
    }

    @Test("server-managed members in a request are ignored")
    func serverManaged() throws {
        let f = try RegistrationFixture()
        let info = try f.register(f.merged(RegistrationFixture.web, [
            "client_id": "chosen", "client_secret": "chosen-secret", "registration_access_token": "mine",
        ]))
        #expect(info.clientID != "chosen" && info.clientSecret != "chosen-secret" && info.registrationAccessToken != "mine")
    }
}
