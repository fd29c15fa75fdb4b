import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

@Suite("Client configuration (RFC 7592) and the operator's client commands")
struct ClientManagementTests {
    @Test("read needs this client's registration access token; another client's is invalid_token")
    func read() throws {
        let f = try RegistrationFixture()
        let a = try f.register(RegistrationFixture.web)
        let b = try f.register(RegistrationFixture.native)
        let read = try f.registration.read(clientID: a.clientID, registrationAccessToken: a.registrationAccessToken)
        #expect(read.json["client_name"] == "Bank Portal" && read.clientSecret == nil)
        #expect(read.registrationAccessToken == a.registrationAccessToken)
        for token in [b.registrationAccessToken, f.token, nil] as [String?] {
            let error = oauthError { () throws(OAuthError) in try f.registration.read(clientID: a.clientID, registrationAccessToken: token) }
            #expect(error?.code == "invalid_token" && error?.status == 401)
        }
        #expect(oauthError { () throws(OAuthError) in try f.registration.read(clientID: "clt_missing", registrationAccessToken: a.registrationAccessToken) }?.code == "invalid_token")
        #expect(oauthError { () throws(OAuthError) in try f.registration.delete(clientID: a.clientID, registrationAccessToken: b.registrationAccessToken) }?.code == "invalid_token")
        #expect(f.broker.clients.client(id: a.clientID) != nil)
    }

    @Test("update replaces the metadata, keeps the secret, rotates the registration access token")
    func update() throws {
        let f = try RegistrationFixture()
        let info = try f.register(RegistrationFixture.web)
        let secret = try #require(info.clientSecret)
        var document = RegistrationFixture.web.objectValue ?? [:]
        document["client_id"] = .string(info.clientID)
        document["client_secret"] = .string(secret)
        document["client_name"] = "Bank Portal 2"
        let updated = try f.registration.update(
            clientID: info.clientID, registrationAccessToken: info.registrationAccessToken, body: JSONValue.object(document).serialized())
        #expect(updated.json["client_name"] == "Bank Portal 2" && updated.clientSecret == nil)
        #expect(updated.registrationAccessToken != info.registrationAccessToken)
        #expect(f.broker.clients.client(id: info.clientID)?.name == "Bank Portal 2")
        // The old token is gone; the secret still works.
        #expect(oauthError { () throws(OAuthError) in try f.registration.read(clientID: info.clientID, registrationAccessToken: info.registrationAccessToken) }?.code == "invalid_token")
        _ = try f.broker.clientAuthenticator.authenticate(ClientCredentials(basic: .init(clientID: info.clientID, secret: secret)), endpoint: "x")
    }

    struct BadUpdate: Sendable, CustomTestStringConvertible {
        let name: String
        let changes: [String: JSONValue]
        let code: String
        let field: String
        var testDescription: String { name }
    }

    @Test("an update is validated as a registration, and client_id cannot change", arguments: [
        BadUpdate(name: "no client_id", changes: ["client_id": .null], code: "invalid_client_metadata", field: "client_id"),
        BadUpdate(name: "another client_id", changes: ["client_id": "clt_other"], code: "invalid_client_metadata", field: "client_id"),
        BadUpdate(name: "a chosen secret", changes: ["client_secret": "mine"], code: "invalid_client_metadata", field: "client_secret"),
        BadUpdate(name: "a bad redirect URI", changes: ["redirect_uris": ["http://bank.example/cb"]], code: "invalid_redirect_uri", field: "redirect_uris"),
        BadUpdate(name: "an unsupported method", changes: ["token_endpoint_auth_method": "tls_client_auth"],
                  code: "invalid_client_metadata", field: "token_endpoint_auth_method"),
    ])
    func badUpdate(_ bad: BadUpdate) throws {
        let f = try RegistrationFixture()
        let info = try f.register(RegistrationFixture.web)
        var document = RegistrationFixture.web.objectValue ?? [:]
        document["client_id"] = .string(info.clientID)
        for (key, value) in bad.changes { document[key] = value }
        let error = oauthError { () throws(OAuthError) in
            try f.registration.update(clientID: info.clientID, registrationAccessToken: info.registrationAccessToken, body: JSONValue.object(document).serialized())
        }
        #expect(error?.code == bad.code && error?.errorDescription.hasPrefix(bad.field) == true, "\(error?.description ?? "accepted")")
        // Nothing changed: the token still works.
        _ = try f.registration.read(clientID: info.clientID, registrationAccessToken: info.registrationAccessToken)
    }

    @Test("switching to a secret method issues a secret; switching away drops it")
    func switchMethods() throws {
        let f = try RegistrationFixture()
        let info = try f.register(RegistrationFixture.native)
        var document = RegistrationFixture.web.objectValue ?? [:]
        document["client_id"] = .string(info.clientID)
        let confidential = try f.registration.update(
            clientID: info.clientID, registrationAccessToken: info.registrationAccessToken, body: JSONValue.object(document).serialized())
        let secret = try #require(confidential.clientSecret)
        #expect(try f.broker.store.registeredClient(id: info.clientID).secretHash == SecretHash.of(secret))
        var native = RegistrationFixture.native.objectValue ?? [:]
        native["client_id"] = .string(info.clientID)
        _ = try f.registration.update(
            clientID: info.clientID, registrationAccessToken: confidential.registrationAccessToken, body: JSONValue.object(native).serialized())
        #expect(try f.broker.store.registeredClient(id: info.clientID).secretHash == nil)
    }

    @Test("delete removes the client and revokes its grants and consents")
    func delete() throws {
        let f = try RegistrationFixture()
        let info = try f.register(RegistrationFixture.native)
        let now = f.clock.now
        try f.broker.store.addGrant(GrantRecord(
            id: "grt_1", clientID: info.clientID, citizenID: Citizens.a, scopes: ["openid"], authTime: now, acr: "a", amr: [],
            createdAt: now, expiresAt: now + 3600))
        try f.broker.store.saveConsent(ConsentRecord(
            id: "\(Citizens.a)|\(info.clientID)", citizenID: Citizens.a, clientID: info.clientID, scopes: ["openid"], claims: [],
            grantedAt: now, updatedAt: now))
        try f.registration.delete(clientID: info.clientID, registrationAccessToken: info.registrationAccessToken)
        #expect(f.broker.clients.client(id: info.clientID) == nil)
        #expect(try f.broker.store.grant(id: "grt_1").revokedAt == now)
        #expect(try f.broker.store.consent(citizenID: Citizens.a, clientID: info.clientID).revokedAt == now)
        #expect(oauthError { () throws(OAuthError) in try f.registration.read(clientID: info.clientID, registrationAccessToken: info.registrationAccessToken) }?.code == "invalid_token")
        let audit = try f.broker.store.audit(citizenID: nil, limit: 10, beforeSequence: nil).map(\.action)
        #expect(audit.contains("client.deleted") && audit.contains("client.registered"))
    }

    @Test("the operator lists, shows and disables registered clients; a disabled client is gone from the registry")
    func operatorCommands() throws {
        let f = try RegistrationFixture()
        let info = try f.register(RegistrationFixture.web)
        let summary = try #require(try f.registration.list().first { $0.id == info.clientID })
        #expect(summary.partnerID == f.partnerID && summary.name == "Bank Portal" && !summary.disabled)
        #expect(try f.registration.list(partnerID: "partner_other").isEmpty)
        #expect(try f.registration.record(clientID: info.clientID).partnerID == f.partnerID)
        #expect(throws: OAuthError.self) { try f.registration.record(clientID: "clt_missing") }

        try f.registration.disable(clientID: info.clientID)
        #expect(f.broker.clients.client(id: info.clientID) == nil)
        #expect(try f.registration.list().first { $0.id == info.clientID }?.disabled == true)
        // The partner's update cannot re-enable it.
        var document = RegistrationFixture.web.objectValue ?? [:]
        document["client_id"] = .string(info.clientID)
        _ = try f.registration.update(clientID: info.clientID, registrationAccessToken: info.registrationAccessToken, body: JSONValue.object(document).serialized())
        #expect(f.broker.clients.client(id: info.clientID) == nil)
        let audit = try f.broker.store.audit(citizenID: nil, limit: 10, beforeSequence: nil).map(\.action)
        #expect(audit.contains("client.disabled") && audit.contains("client.updated"))
    }

    @Test("a change made through the store (another process) is seen at the next lookup")
    func readThrough() throws {
        let f = try RegistrationFixture()
        let info = try f.register(RegistrationFixture.web)
        #expect(f.broker.clients.client(id: info.clientID)?.name == "Bank Portal")
        try f.broker.store.updateRegisteredClient(id: info.clientID) {
            $0.metadata = $0.metadata.replacingOccurrences(of: "Bank Portal", with: "Renamed")
        }
        #expect(f.broker.clients.client(id: info.clientID)?.name == "Renamed")
        try f.broker.store.deleteRegisteredClient(id: info.clientID)
        #expect(f.broker.clients.client(id: info.clientID) == nil)
    }
}
