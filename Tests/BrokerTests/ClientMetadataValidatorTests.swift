import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

@Suite("Client metadata validation (RFC 7591 §2, OIDC DCR §2)")
struct ClientMetadataValidatorTests {
    static let production = ClientMetadataValidator(developmentBroker: false, signingAlgorithms: KeyManager.algorithms)
    static let development = ClientMetadataValidator(developmentBroker: true, signingAlgorithms: KeyManager.algorithms)

    static let publicKey: JSONValue = {
        // A fixed public P-256 key (the linkage-center demo key) keeps the table static.
        ["keys": [["kty": "EC", "crv": "P-256", "x": "mLnYiPJ0zLUjYqJ4zfs8pwn4-VfOmPKjUa0X_XM4gMQ",
                   "y": "yo6uy2agQi7Elmo-VDwsLr_0V2nnrJFyZ7TWWZo7vF0", "kid": "k1", "use": "sig", "alg": "ES256"]]]
    }()

    /// A valid web client; each case changes one member.
    static let web: [String: JSONValue] = [
        "client_id": "c1", "application_type": "web", "redirect_uris": ["https://rp.example/cb"],
        "token_endpoint_auth_method": "client_secret_basic", "client_secret": "s3cret",
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
    ]
    static let native: [String: JSONValue] = [
        "client_id": "app", "application_type": "native", "redirect_uris": ["http://127.0.0.1/cb"],
        "token_endpoint_auth_method": "none",
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let base: [String: JSONValue]
        let changes: [String: JSONValue?]
        let development: Bool
        /// nil: valid; otherwise the error code and the field the description must start with.
        let refusal: (code: String, field: String)?
        var testDescription: String { name }

        init(_ name: String, base: [String: JSONValue] = ClientMetadataValidatorTests.web, _ changes: [String: JSONValue?],
             dev: Bool = false, refused: (String, String)? = nil) {
            self.name = name
            self.base = base
            self.changes = changes
            self.development = dev
            self.refusal = refused.map { (code: $0.0, field: $0.1) }
        }
    }

    static let cases: [Case] = [
        Case("a valid web client", [:]),
        Case("a valid native client", base: native, [:]),
        Case("redirect_uris must be absolute", ["redirect_uris": ["/cb"]], refused: ("invalid_redirect_uri", "redirect_uris")),
        Case("redirect_uris without a fragment", ["redirect_uris": ["https://rp.example/cb#x"]], refused: ("invalid_redirect_uri", "redirect_uris")),
        Case("web redirect must be https", ["redirect_uris": ["http://rp.example/cb"]], refused: ("invalid_redirect_uri", "redirect_uris")),
        Case("web http loopback refused in production", ["redirect_uris": ["http://127.0.0.1:8090/cb"]], refused: ("invalid_redirect_uri", "redirect_uris")),
        Case("web http loopback on a development broker", ["redirect_uris": ["http://127.0.0.1:8090/cb"]], dev: true),
        Case("web client with a private-use scheme", ["redirect_uris": ["com.example.app:/cb"]], refused: ("invalid_redirect_uri", "redirect_uris")),
        Case("native IPv6 loopback", base: native, ["redirect_uris": ["http://[::1]:5000/cb"]]),
        Case("native localhost refused (RFC 8252 §8.3)", base: native, ["redirect_uris": ["http://localhost/cb"]], refused: ("invalid_redirect_uri", "redirect_uris")),
        Case("native http non-loopback", base: native, ["redirect_uris": ["http://app.example/cb"]], refused: ("invalid_redirect_uri", "redirect_uris")),
        Case("native reverse-domain scheme", base: native, ["redirect_uris": ["com.example.app:/cb"]]),
        Case("native scheme not reverse-domain", base: native, ["redirect_uris": ["myapp:/cb"]], refused: ("invalid_redirect_uri", "redirect_uris")),
        Case("redirect_uris required with authorization_code", ["redirect_uris": nil], refused: ("invalid_redirect_uri", "redirect_uris")),
        Case("response_types code needs authorization_code", ["grant_types": ["client_credentials"], "redirect_uris": nil],
             refused: ("invalid_client_metadata", "response_types")),
        Case("authorization_code needs response type code", ["response_types": []], refused: ("invalid_client_metadata", "response_types")),
        Case("unknown response type", ["response_types": ["code", "token"]], refused: ("invalid_client_metadata", "response_types")),
        Case("unknown grant type", ["grant_types": ["password"]], refused: ("invalid_client_metadata", "grant_types")),
        Case("unknown token_endpoint_auth_method", ["token_endpoint_auth_method": "client_secret_jwt"],
             refused: ("invalid_client_metadata", "token_endpoint_auth_method")),
        Case("none with client_credentials", base: native, ["grant_types": ["authorization_code", "client_credentials"]],
             refused: ("invalid_client_metadata", "token_endpoint_auth_method")),
        Case("secret methods need a secret", ["client_secret": nil], refused: ("invalid_client_metadata", "client_secret")),
        Case("client_secret_post needs a secret", ["token_endpoint_auth_method": "client_secret_post", "client_secret": nil],
             refused: ("invalid_client_metadata", "client_secret")),
        Case("private_key_jwt needs jwks or jwks_uri", ["token_endpoint_auth_method": "private_key_jwt"],
             refused: ("invalid_client_metadata", "jwks")),
        Case("private_key_jwt with inline jwks", ["token_endpoint_auth_method": "private_key_jwt", "jwks": publicKey]),
        Case("private_key_jwt with jwks_uri", ["token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://rp.example/jwks"]),
        Case("jwks and jwks_uri together", ["token_endpoint_auth_method": "private_key_jwt", "jwks": publicKey,
                                           "jwks_uri": "https://rp.example/jwks"], refused: ("invalid_client_metadata", "jwks")),
        Case("jwks_uri must be https", ["token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "http://rp.example/jwks"],
             refused: ("invalid_client_metadata", "jwks_uri")),
        Case("jwks that is not a JWK Set", ["jwks": ["keys": "nope"]], refused: ("invalid_client_metadata", "jwks")),
        Case("id_token_signed_response_alg none", ["id_token_signed_response_alg": "none"],
             refused: ("invalid_client_metadata", "id_token_signed_response_alg")),
        Case("id_token_signed_response_alg HS256", ["id_token_signed_response_alg": "HS256"],
             refused: ("invalid_client_metadata", "id_token_signed_response_alg")),
        Case("id_token_signed_response_alg EdDSA", ["id_token_signed_response_alg": "EdDSA"]),
        Case("token_endpoint_auth_signing_alg HS256", ["token_endpoint_auth_signing_alg": "HS256"],
             refused: ("invalid_client_metadata", "token_endpoint_auth_signing_alg")),
        Case("token_endpoint_auth_signing_alg PS256", ["token_endpoint_auth_signing_alg": "PS256"]),
        Case("post_logout_redirect_uris follow the URI rules", ["post_logout_redirect_uris": ["http://rp.example/"]],
             refused: ("invalid_client_metadata", "post_logout_redirect_uris")),
        Case("client_name must be a string", ["client_name": 5], refused: ("invalid_client_metadata", "client_name")),
        Case("client_name#th must be a string", ["client_name#th": ["x"]], refused: ("invalid_client_metadata", "client_name#th")),
        Case("logo_uri must be https", ["logo_uri": "http://rp.example/logo.png"], refused: ("invalid_client_metadata", "logo_uri")),
        Case("policy_uri must be https", ["policy_uri": "ftp://rp.example/p"], refused: ("invalid_client_metadata", "policy_uri")),
        Case("tos_uri must be https", ["tos_uri": "tos"], refused: ("invalid_client_metadata", "tos_uri")),
        Case("client_uri must be https", ["client_uri": "http://rp.example/"], refused: ("invalid_client_metadata", "client_uri")),
        Case("client_uri http loopback on a development broker", ["client_uri": "http://127.0.0.1:8090/"], dev: true),
        Case("scope must be known", ["scope": "openid email"], refused: ("invalid_client_metadata", "scope")),
        Case("API scope without client_credentials", ["scope": "openid partner.read"], refused: ("invalid_client_metadata", "scope")),
        Case("application_type must be web or native", ["application_type": "desktop"], refused: ("invalid_client_metadata", "application_type")),
        Case("sector_identifier_uri must be https", ["sector_identifier_uri": "http://rp.example/s.json"],
             refused: ("invalid_client_metadata", "sector_identifier_uri")),
        Case("several redirect hosts need a sector_identifier_uri", ["redirect_uris": ["https://a.example/cb", "https://b.example/cb"]],
             refused: ("invalid_client_metadata", "sector_identifier_uri")),
        Case("several redirect hosts with a sector_identifier_uri",
             ["redirect_uris": ["https://a.example/cb", "https://b.example/cb"], "sector_identifier_uri": "https://rp.example/sector.json"]),
        Case("unknown members are kept, not refused", ["software_version": "1.2", "x-vendor": ["a": 1]]),
        // ciba: the CIBA members are checked now (more rows in CIBATests)
        Case("CIBA members without the CIBA grant", ["backchannel_token_delivery_mode": "poll"],
             refused: ("invalid_client_metadata", "grant_types")),
        Case("a CIBA poll client", ["grant_types": ["authorization_code", "urn:openid:params:grant-type:ciba"],
                                    "backchannel_token_delivery_mode": "poll"]),
    ]

    @Test("one row per rule", arguments: cases)
    func rule(_ c: Case) throws {
        var document = c.base
        for (key, value) in c.changes { document[key] = value }
        let validator = c.development ? Self.development : Self.production
        let result = Result(catching: { () throws(OAuthError) in try validator.validateFile(.object(document)) })
        switch (result, c.refusal) {
        case (.success, nil):
            break
        case (.failure(let error), let refusal?):
            #expect(error.code == refusal.code)
            #expect(error.errorDescription.hasPrefix(refusal.field), "\(error.errorDescription)")
        case (.success, let refusal?):
            Issue.record("expected \(refusal.code) on \(refusal.field)")
        case (.failure(let error), nil):
            Issue.record("unexpected refusal: \(error)")
        }
    }

    @Test("the validated client carries names, scopes, sector and the unknown members")
    func fields() throws {
        var document = Self.web
        document["client_name"] = "Example"
        document["client_name#th"] = "ตัวอย่าง"
        document["client_name#en"] = "Example EN"
        document["scope"] = "openid profile"
        document["x-extra"] = "kept"
        document["token_endpoint_auth_signing_alg"] = "ES256"
        let client = try Self.production.validateFile(.object(document))
        #expect(client.name == "Example")
        #expect(client.localizedNames == ["th": "ตัวอย่าง", "en": "Example EN"])
        #expect(client.allowedScopes == ["openid", "profile"])
        #expect(client.sectorIdentifier == "rp.example")
        #expect(client.metadata["x-extra"] == "kept")
        #expect(client.metadata["client_secret"] == nil)
        #expect(client.secretHash == SecretHash.of("s3cret"))
        #expect(client.tokenEndpointAuthSigningAlg == .es256)

        let sectored = try Self.production.validateFile(.object(document.merging(
            ["redirect_uris": ["https://a.example/cb", "https://b.example/cb"], "sector_identifier_uri": "https://rp.example/s.json"]) { $1 }))
        #expect(sectored.sectorIdentifier == "rp.example")
    }

    @Test("loopback native clients are each their own sector")
    func loopbackSectors() throws {
        let a = try Self.production.validateFile(.object(Self.native))
        let b = try Self.production.validateFile(.object(Self.native.merging(["client_id": "other"]) { $1 }))
        #expect(a.sectorIdentifier != b.sectorIdentifier)
    }

    @Test("the pilot clients in Metadata/clients/ load on a development broker")
    func pilots() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Metadata/clients").path
        let registry = try ClientRegistry.load(directory: directory, validator: Self.development)
        #expect(registry.all.map(\.id) == ["counter-desk", "counter-desk-ping", "linkage-center", "partner-api", "queue-online"])   // ciba: counter-desk*
        #expect(registry.client(id: "partner-api")?.allowedScopes == ["partner.read"])
        #expect(registry.client(id: "linkage-center")?.jwks?.keys.count == 1)
    }

    @Test("an invalid file stops start-up naming the file and the field")
    func startUp() throws {
        let directory = NSTemporaryDirectory() + "phisut-clients-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/clients", withIntermediateDirectories: true)
        try Data(#"{"client_id": "bad", "redirect_uris": ["https://rp.example/cb#frag"], "client_secret": "x"}"#.utf8)
            .write(to: URL(fileURLWithPath: directory + "/clients/bad-client.json"))
        var configuration = BrokerConfiguration(issuer: "https://id.example", metadataDirectory: directory)
        configuration.signingAlgorithms = [.es256]
        let store = try SQLiteStore(path: directory + "/test.sqlite")
        do {
            _ = try Broker(configuration: configuration, store: store,
                           terms: TermsCatalog(current: Terms(version: "1", textTH: "t", textEN: "t")), log: { _ in })
            Issue.record("start-up accepted an invalid client file")
        } catch let error as MetadataError {
            #expect(error.file.hasSuffix("bad-client.json"))
            #expect(error.description.contains("bad-client.json"))
            #expect(error.description.contains("redirect_uris"))
        }
    }
}

extension Result where Failure == OAuthError {
    init(catching body: () throws(OAuthError) -> Success) {
        do { self = .success(try body()) } catch { self = .failure(error) }
    }
}
