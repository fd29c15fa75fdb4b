import JOSE
import JSON
import Storage

/// Dynamic client registration (RFC 7591, OIDC Dynamic Client Registration 1.0) and its
/// management protocol (RFC 7592): partners register with an initial access token, then read,
/// replace and delete their client with its registration access token.
///
/// Every document goes through the one `ClientMetadataValidator`, then the documents behind
/// `sector_identifier_uri` and `jwks_uri` are fetched. Secrets and tokens are stored as hashes.
public struct RegistrationService: Sendable {
    let store: any Store
    let clock: any Clock
    let random: any RandomSource
    let audit: Auditor
    let validator: ClientMetadataValidator
    let remote: RemoteMetadata
    let clients: ClientRegistry
    /// The federation operator's keys for software statements.
    var trust: FederationTrust
    let issuer: String
    let clockSkew: Int64

    /// The largest registration or update body; beyond it 413.
    public static let maxBodyBytes = 64 * 1024
    static let secretMethods = ClientMetadataValidator.secretMethods

    /// `POST /register`. Throws `invalid_token` (401) without a usable initial access token
    /// (RFC 7591 §3: "the authorization server MAY require an initial access token"; Phisut
    /// always does), then `invalid_client_metadata`, `invalid_redirect_uri` or
    /// `invalid_software_statement` naming the member at fault.
    public func register(body: [UInt8], initialAccessToken: String?) throws(OAuthError) -> ClientInformation {
        guard let token = initialAccessToken else { throw .invalidToken("an initial access token is required") }
        let tokenHash = SecretHash.of(token)
        let partnerID = try usableInitialAccessToken(tokenHash)
        let request = try Self.parse(body)

        let clientID = random.identifier("clt")
        let document = try registrationDocument(request)
        let secret = Self.secretMethods.contains(Self.authMethod(document)) ? random.token() : nil
        let client = try validator.validate(.object(document), clientID: clientID, secretHash: secret.map(SecretHash.of), partnerID: partnerID)
        let keys = try validator.verifyRemoteDocuments(client, remote: remote)

        let registrationToken = "rat_" + random.token()
        let metadata = ClientMetadataValidator.effectiveMetadata(client)
        let now = clock.now
        let record = RegisteredClientRecord(
            id: clientID, partnerID: partnerID, metadata: String(decoding: metadata.serialized(), as: UTF8.self),
            secretHash: client.secretHash, registrationTokenHash: SecretHash.of(registrationToken), createdAt: now, updatedAt: now)
        do {
            try store.transaction { tx in
                // Spent in the same transaction as the client is created: a refused registration
                // costs no use, and two racing registrations cannot both spend the last one.
                try tx.consumeInitialAccessToken(tokenHash: tokenHash, now: now)
                try tx.addRegisteredClient(record)
            }
        } catch StorageError.notFound {
            throw .invalidToken("the initial access token is not valid")
        } catch {
            throw .serverError(debug: "registering \(clientID): \(error)")
        }
        if let keys, let uri = client.jwksURI { remote.store(keys, for: uri) }
        audit.record("client.registered", by: Actor(type: "partner", id: partnerID), client: clientID,
                     detail: "\(client.name) \(client.tokenEndpointAuthMethod)")
        return information(record, metadata: metadata, secret: secret, registrationToken: registrationToken)
    }

    /// `GET /register/{client_id}` (RFC 7592 §2.1).
    public func read(clientID: String, registrationAccessToken: String?) throws(OAuthError) -> ClientInformation {
        let (record, token) = try authorize(clientID, registrationAccessToken)
        return information(record, metadata: try Self.parse(Array(record.metadata.utf8)), secret: nil, registrationToken: token)
    }

    /// `PUT /register/{client_id}` (RFC 7592 §2.2): replaces the whole metadata, validated as at
    /// registration. The body must name the same `client_id`; a `client_secret`, if sent, must be
    /// the current one. The registration access token is rotated; the secret is kept (or issued,
    /// when the client moves to a secret-based method).
    public func update(clientID: String, registrationAccessToken: String?, body: [UInt8]) throws(OAuthError) -> ClientInformation {
        let (record, _) = try authorize(clientID, registrationAccessToken)
        let request = try Self.parse(body)
        // RFC 7592 §2.2: "The client MUST include its "client_id" field in the request, and it
        // MUST be the same as its currently issued client identifier."
        guard request["client_id"]?.stringValue == clientID else {
            throw ClientMetadataValidator.invalid("client_id", "must be present and equal the client's current client_id")
        }
        // "If the client includes the "client_secret" field in the request, the value of this
        // field MUST match the currently issued client secret for that client."
        if let sent = request["client_secret"], !sent.isNull {
            guard let text = sent.stringValue, let hash = record.secretHash, SecretComparison.matches(text, hash: hash) else {
                throw ClientMetadataValidator.invalid("client_secret", "does not match the current secret; a client cannot choose its secret")
            }
        }
        let document = try registrationDocument(request)
        var secret: String?
        var secretHash: String?
        if Self.secretMethods.contains(Self.authMethod(document)) {
            if let existing = record.secretHash {
                secretHash = existing
            } else {
                secret = random.token()
                secretHash = secret.map(SecretHash.of)
            }
        }
        let client = try validator.validate(.object(document), clientID: clientID, secretHash: secretHash, partnerID: record.partnerID)
        let keys = try validator.verifyRemoteDocuments(client, remote: remote)
        let metadata = ClientMetadataValidator.effectiveMetadata(client)
        let registrationToken = "rat_" + random.token()
        let updated: RegisteredClientRecord
        do {
            updated = try store.updateRegisteredClient(id: clientID) { stored in
                // The token checked above must still be the current one: two racing updates
                // cannot both rotate from it.
                guard stored.registrationTokenHash == record.registrationTokenHash else { throw StorageError.notFound }
                stored.metadata = String(decoding: metadata.serialized(), as: UTF8.self)
                stored.secretHash = client.secretHash
                stored.registrationTokenHash = SecretHash.of(registrationToken)
                stored.updatedAt = clock.now
            }
        } catch StorageError.notFound {
            throw .invalidToken("the registration access token is not valid")
        } catch {
            throw .serverError(debug: "updating \(clientID): \(error)")
        }
        if let old = try? Self.parse(Array(record.metadata.utf8))["jwks_uri"]?.stringValue { remote.forget(old) }
        if let keys, let uri = client.jwksURI { remote.store(keys, for: uri) }
        audit.record("client.updated", by: Actor(type: "partner", id: record.partnerID), client: clientID,
                     detail: "\(client.name) \(client.tokenEndpointAuthMethod)")
        return information(updated, metadata: metadata, secret: secret, registrationToken: registrationToken)
    }

    /// `DELETE /register/{client_id}` (RFC 7592 §2.3): removes the client, revokes its grants
    /// (and so its refresh and access tokens) and the consents citizens gave it.
    public func delete(clientID: String, registrationAccessToken: String?) throws(OAuthError) {
        let (record, _) = try authorize(clientID, registrationAccessToken)
        try remove(record, by: Actor(type: "partner", id: record.partnerID), action: "client.deleted")
    }

    // MARK: - shared steps

    /// The partner of a usable initial access token, checked without spending a use.
    private func usableInitialAccessToken(_ hash: String) throws(OAuthError) -> String {
        let now = clock.now
        do {
            let token = try store.initialAccessToken(tokenHash: hash)
            let usable = token.revokedAt == nil && (token.expiresAt.map { now < $0 } ?? true) && (token.remainingUses.map { $0 > 0 } ?? true)
            guard usable, try store.partner(id: token.partnerID).disabledAt == nil else {
                throw OAuthError.invalidToken("the initial access token is not valid")
            }
            return token.partnerID
        } catch let error as OAuthError {
            throw error
        } catch StorageError.notFound {
            throw .invalidToken("the initial access token is not valid")
        } catch {
            throw .serverError(debug: "initial access token: \(error)")
        }
    }

    /// The client a registration access token manages (RFC 7592 §2: a wrong, missing or other
    /// client's token is 401 `invalid_token`, and so is a client that does not exist).
    private func authorize(_ clientID: String, _ token: String?) throws(OAuthError) -> (RegisteredClientRecord, String) {
        guard let token else { throw .invalidToken("a registration access token is required") }
        let record: RegisteredClientRecord
        do {
            record = try store.registeredClient(id: clientID)
        } catch StorageError.notFound {
            throw .invalidToken("the registration access token is not valid", debug: "no registered client \(clientID)")
        } catch {
            throw .serverError(debug: "registered client \(clientID): \(error)")
        }
        guard SecretComparison.matches(token, hash: record.registrationTokenHash) else {
            audit.record("client.management", by: .anonymous, client: clientID, success: false, detail: "wrong registration access token")
            throw .invalidToken("the registration access token is not valid")
        }
        return (record, token)
    }

    /// The request's metadata: server-managed members dropped, then the claims of a trusted
    /// software statement laid over it (RFC 7591 §3.1.1: they "MUST take precedence").
    private func registrationDocument(_ request: JSONValue) throws(OAuthError) -> [String: JSONValue] {
        var document = request.objectValue ?? [:]
        for member in ClientMetadataValidator.serverManagedMembers { document.removeValue(forKey: member) }
        if let statement = document["software_statement"], !statement.isNull {
            guard let text = statement.stringValue else {
                throw OAuthError("invalid_software_statement", "software_statement must be a JWT string")
            }
            for (name, value) in try trust.verify(text, now: clock.now, leeway: clockSkew) where !ClientMetadataValidator.serverManagedMembers.contains(name) {
                document[name] = value
            }
        }
        return document
    }

    /// Removes a registered client and everything issued to it.
    func remove(_ record: RegisteredClientRecord, by actor: Actor, action: String) throws(OAuthError) {
        let now = clock.now
        do {
            try store.transaction { tx in
                try tx.deleteRegisteredClient(id: record.id)
                for grant in try tx.find(GrantRecord.self, where: "client_id", equals: record.id, limit: 100_000) {
                    try tx.revokeGrant(id: grant.id, at: now, reason: "client deleted")
                }
                for consent in try tx.find(ConsentRecord.self, where: "client_id", equals: record.id, limit: 100_000)
                where consent.revokedAt == nil {
                    try tx.update(ConsentRecord.self, id: consent.id) { $0.revokedAt = now }
                }
            }
        } catch {
            throw .serverError(debug: "deleting \(record.id): \(error)")
        }
        if let uri = try? Self.parse(Array(record.metadata.utf8))["jwks_uri"]?.stringValue { remote.forget(uri) }
        audit.record(action, by: actor, client: record.id, detail: "grants and consents revoked")
    }

    private func information(_ record: RegisteredClientRecord, metadata: JSONValue, secret: String?,
                             registrationToken: String) -> ClientInformation {
        ClientInformation(
            clientID: record.id, clientSecret: secret, issuedAt: record.createdAt, registrationAccessToken: registrationToken,
            registrationClientURI: issuer + "/register/" + record.id, metadata: metadata)
    }

    /// The request body as a JSON object; anything else is `invalid_client_metadata`.
    static func parse(_ body: [UInt8]) throws(OAuthError) -> JSONValue {
        guard body.count <= maxBodyBytes else {
            throw OAuthError("invalid_request", "the request body is larger than \(maxBodyBytes) bytes", status: 413)
        }
        guard let value = try? JSONValue(parsing: body) else {
            throw OAuthError("invalid_client_metadata", "the request body must be a JSON object (it is not JSON)")
        }
        guard value.objectValue != nil else {
            throw OAuthError("invalid_client_metadata", "the request body must be a JSON object")
        }
        return value
    }

    /// The requested `token_endpoint_auth_method`, with RFC 7591 §2's default.
    static func authMethod(_ document: [String: JSONValue]) -> String {
        document["token_endpoint_auth_method"]?.stringValue ?? "client_secret_basic"
    }
}
