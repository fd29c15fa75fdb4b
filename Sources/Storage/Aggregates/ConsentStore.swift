/// Citizens' consents, one per citizen and client.
public protocol ConsentStore: RecordStore {
    /// The consent of this citizen for this client, revoked or not. Throws `.notFound`.
    func consent(citizenID: String, clientID: String) throws -> ConsentRecord
    /// Creates or replaces the consent (keeping `grantedAt` of an existing one).
    func saveConsent(_ consent: ConsentRecord) throws
    /// A citizen's consents, any state.
    func consents(citizenID: String) throws -> [ConsentRecord]
}

extension ConsentStore {
    public static func consentID(citizenID: String, clientID: String) -> String { citizenID + "|" + clientID }

    public func consent(citizenID: String, clientID: String) throws -> ConsentRecord {
        try get(ConsentRecord.self, id: Self.consentID(citizenID: citizenID, clientID: clientID))
    }

    public func saveConsent(_ consent: ConsentRecord) throws {
        try transaction { tx in
            do {
                try tx.update(ConsentRecord.self, id: consent.id) { stored in
                    let grantedAt = stored.grantedAt
                    stored = consent
                    stored.grantedAt = grantedAt
                }
            } catch StorageError.notFound {
                try tx.create(consent)
            }
        }
    }

    public func consents(citizenID: String) throws -> [ConsentRecord] {
        try find(ConsentRecord.self, where: "citizen_id", equals: citizenID, limit: 10_000)
    }
}
