import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

@Suite("Registration: jwks_uri, sector_identifier_uri and software statements")
struct RegistrationRemoteTests {
    static let jwksURI = "https://bank.example/jwks.json"
    static let sectorURI = "https://sector.bank.example/redirects.json"

    func keyClient(_ f: RegistrationFixture) -> JSONValue {
        f.merged(RegistrationFixture.web, ["token_endpoint_auth_method": "private_key_jwt", "jwks_uri": .string(Self.jwksURI)])
    }

    func assertion(_ f: RegistrationFixture, client: String, key: JWK) throws -> ClientCredentials {
        let now = f.clock.now
        let jwt = try JWT.sign(
            claims: ["iss": .string(client), "sub": .string(client), "aud": .string(f.broker.configuration.issuer),
                     "iat": .int(now), "exp": .int(now + 60), "jti": .string(UUID().uuidString)],
            key: key, algorithm: .es256)
        return ClientCredentials(assertionType: PrivateKeyJWT.assertionType, assertion: jwt)
    }

    @Test("a jwks_uri that is down or returns garbage is refused at registration", arguments: [
        ("down", nil as [UInt8]?, "jwks_uri could not be fetched"),
        ("not JSON", Array("<html>".utf8), "jwks_uri did not return a JWK Set"),
        ("JSON without keys", Array(#"{"issuer":"x"}"#.utf8), "jwks_uri did not return a JWK Set"),
    ])
    func brokenJWKS(_ name: String, _ body: [UInt8]?, _ description: String) throws {
        let f = try RegistrationFixture()
        if let body { f.fetcher.serve(Self.jwksURI, bytes: body) }
        let error = oauthError { () throws(OAuthError) in try f.register(keyClient(f)) }
        #expect(error?.code == "invalid_client_metadata" && error?.errorDescription == description, "\(name)")
    }

    @Test("private_key_jwt with jwks_uri: cached, refetched for an unknown kid no sooner than the floor, stale set kept when down")
    func keyRotation() throws {
        let f = try RegistrationFixture()
        let first = try JWK.generate(for: .es256, kid: "k1")
        f.fetcher.serve(Self.jwksURI, JWKSet(keys: [first.publicKey]).json())
        let info = try f.register(keyClient(f))
        #expect(f.fetcher.fetches(Self.jwksURI) == 1)

        _ = try f.broker.clientAuthenticator.authenticate(try assertion(f, client: info.clientID, key: first), endpoint: "x")
        #expect(f.fetcher.fetches(Self.jwksURI) == 1)   // served from the cache

        // The partner rotates; an assertion with the new kid right away is refused (floor)…
        let second = try JWK.generate(for: .es256, kid: "k2")
        f.fetcher.serve(Self.jwksURI, JWKSet(keys: [second.publicKey]).json())
        let rotated = try assertion(f, client: info.clientID, key: second)
        let early = oauthError { () throws(OAuthError) in try f.broker.clientAuthenticator.authenticate(rotated, endpoint: "x") }
        #expect(early?.code == "invalid_client")
        #expect(f.fetcher.fetches(Self.jwksURI) == 1)
        // …and accepted once the floor has passed, through one refetch.
        f.clock.advance(f.broker.remoteMetadata.refreshFloor)
        _ = try f.broker.clientAuthenticator.authenticate(try assertion(f, client: info.clientID, key: second), endpoint: "x")
        #expect(f.fetcher.fetches(Self.jwksURI) == 2)

        // After the TTL the set is refetched; if the partner is down the last good set stays.
        f.fetcher.serve(Self.jwksURI, nil)
        f.clock.advance(f.broker.remoteMetadata.ttl + 1)
        _ = try f.broker.clientAuthenticator.authenticate(try assertion(f, client: info.clientID, key: second), endpoint: "x")
        #expect(f.fetcher.fetches(Self.jwksURI) == 3)
    }

    @Test("sector_identifier_uri must list every redirect URI; its host is the pairwise sector")
    func sectorIdentifier() throws {
        let f = try RegistrationFixture()
        let metadata = f.merged(RegistrationFixture.web, [
            "redirect_uris": ["https://a.bank.example/cb", "https://b.bank.example/cb"], "sector_identifier_uri": .string(Self.sectorURI),
        ])
        f.fetcher.serve(Self.sectorURI, ["https://a.bank.example/cb"])
        let missing = oauthError { () throws(OAuthError) in try f.register(metadata) }
        #expect(missing?.code == "invalid_client_metadata")
        #expect(missing?.errorDescription == "sector_identifier_uri does not list the redirect URI https://b.bank.example/cb (OIDC Core §8.1)")

        f.fetcher.serve(Self.sectorURI, ["k": "not an array"])
        #expect(oauthError { () throws(OAuthError) in try f.register(metadata) }?.errorDescription.hasPrefix("sector_identifier_uri could not be fetched") == true)
        f.fetcher.serve(Self.sectorURI, nil)
        #expect(oauthError { () throws(OAuthError) in try f.register(metadata) }?.errorDescription.hasPrefix("sector_identifier_uri could not be fetched") == true)

        f.fetcher.serve(Self.sectorURI, ["https://a.bank.example/cb", "https://b.bank.example/cb", "https://c.bank.example/cb"])
        let info = try f.register(metadata)
        #expect(f.broker.clients.client(id: info.clientID)?.sectorIdentifier == "sector.bank.example")
    }

    @Test("a trusted software statement's claims take precedence over the plain metadata")
    func softwareStatement() throws {
        let f = try RegistrationFixture()
        let statement = try f.statement(["client_name": "Krungthai NEXT", "software_id": "ktb-next", "redirect_uris": ["https://next.ktb.example/cb"]])
        let info = try f.register(f.merged(RegistrationFixture.web, ["software_statement": .string(statement)]))
        #expect(info.json["client_name"] == "Krungthai NEXT" && info.json["software_id"] == "ktb-next")
        #expect(info.json["redirect_uris"] == ["https://next.ktb.example/cb"])
        // RFC 7591 §3.2.1: returned unmodified; the statement's own claims are not metadata.
        #expect(info.json["software_statement"]?.stringValue == statement)
        #expect(info.json["iss"] == nil && info.json["exp"] == nil)
    }

    static func unsigned(_ claims: JSONValue) -> String {
        Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(claims.serialized()) + "."
    }

    @Test("unsigned, expired, untrusted, tampered or issuer-less software statements are refused")
    func badStatements() throws {
        let f = try RegistrationFixture()
        let stranger = try JWK.generate(for: .es256, kid: "operator-1")   // same kid, other key
        let valid = try f.statement(["client_name": "A"])
        let parts = valid.split(separator: ".")
        let tampered = parts[0] + "." + Base64URL.encode(#"{"client_name":"B","iss":"x"}"#.utf8) + "." + parts[2]
        let noIssuer = try JWT.sign(claims: ["client_name": "A", "exp": .int(f.clock.now + 60)], key: f.operatorKey, algorithm: .es256)
        let cases: [(String, String, String)] = [
            ("unsigned", Self.unsigned(["iss": "x", "client_name": "A"]), "software_statement is unsigned (alg none)"),
            ("expired", try f.statement(["client_name": "A"], lifetime: -3600), "software_statement has expired"),
            ("untrusted", try f.statement(["client_name": "A"], key: stranger), "software_statement has an invalid signature"),
            ("unknown kid", try f.statement(["client_name": "A"], key: try JWK.generate(for: .es256, kid: "other")),
             "software_statement is not signed by a trusted federation operator key"),
            ("tampered", String(tampered), "software_statement has an invalid signature"),
            ("no iss", noIssuer, "software_statement has no iss claim (RFC 7591 §2.3)"),
            ("not a JWT", "hello", "software_statement is not a valid signed JWT"),
        ]
        for (name, statement, description) in cases {
            let error = oauthError { () throws(OAuthError) in try f.register(f.merged(RegistrationFixture.web, ["software_statement": .string(statement)])) }
            #expect(error?.code == "invalid_software_statement", "\(name)")
            #expect(error?.errorDescription == description, "\(name): \(error?.errorDescription ?? "accepted")")
        }
        #expect(try f.broker.store.registeredClients().isEmpty)
    }

    @Test("federation trust loads JWK and JWK Set files and refuses private keys")
    func federationFiles() throws {
        let directory = NSTemporaryDirectory() + "phisut-federation-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let a = try JWK.generate(for: .es256, kid: "a")
        let b = try JWK.generate(for: .edDSA, kid: "b")
        try Data(a.publicKey.json().serialized()).write(to: URL(fileURLWithPath: directory + "/a.json"))
        try Data(JWKSet(keys: [b.publicKey]).json().serialized()).write(to: URL(fileURLWithPath: directory + "/b.json"))
        #expect(try FederationTrust.load(directory: directory).keys.compactMap(\.kid).sorted() == ["a", "b"])
        try Data(a.json(includePrivate: true).serialized()).write(to: URL(fileURLWithPath: directory + "/private.json"))
        #expect(throws: MetadataError.self) { try FederationTrust.load(directory: directory) }
    }

    @Test("the shipped demo operator key verifies statements signed with its test private key")
    func demoOperatorKey() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let trust = try FederationTrust.load(directory: root.path + "/Metadata/federation")
        let privateKey = try JWK(jsonText: String(contentsOf: root.appendingPathComponent("Tests/Interop/fixtures/demo-operator-test-key.json"), encoding: .utf8))
        let statement = try JWT.sign(claims: ["iss": "demo-operator", "client_name": "Demo"], key: privateKey, algorithm: .es256)
        #expect(try trust.verify(statement, now: 0, leeway: 0)["client_name"] == "Demo")
    }
}
