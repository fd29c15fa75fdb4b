import JSON
import Storage

/// What the operator's command line shows and does with clients (`phisut clients …`).
extension RegistrationService {
    /// One row of `phisut clients list`.
    public struct ClientSummary: Sendable, Equatable {
        public let id: String
        public let name: String
        /// The partner that registered it, or nil for a `Metadata/clients/` file.
        public let partnerID: String?
        public let disabled: Bool
    }

    /// Every client: those of the metadata files, then the registered ones, each ordered by id.
    public func list(partnerID: String? = nil) throws -> [ClientSummary] {
        let files = partnerID == nil
            ? clients.all.map { ClientSummary(id: $0.id, name: $0.name, partnerID: nil, disabled: $0.disabled) } : []
        let records = try partnerID.map { try store.registeredClients(partnerID: $0) } ?? store.registeredClients()
        return files + records.map { record in
            let name = (try? JSONValue(parsing: Array(record.metadata.utf8)))?["client_name"]?.stringValue ?? record.id
            return ClientSummary(id: record.id, name: name, partnerID: record.partnerID, disabled: record.disabledAt != nil)
        }
    }

    /// The stored record of a registered client. Throws `not_found`.
    public func record(clientID: String) throws -> RegisteredClientRecord {
        do {
            return try store.registeredClient(id: clientID)
        } catch StorageError.notFound {
            throw OAuthError.notFound(clients.isFileClient(clientID)
                ? "\(clientID) comes from a Metadata/clients/ file; edit the file instead"
                : "no registered client \(clientID)")
        }
    }

    /// Disables a registered client: it can no longer authenticate or start logins, and its
    /// partner cannot re-enable it. Its grants are revoked.
    public func disable(clientID: String) throws {
        let record = try record(clientID: clientID)
        let now = clock.now
        try store.transaction { tx in
            try tx.updateRegisteredClient(id: clientID) { $0.disabledAt = $0.disabledAt ?? now }
            for grant in try tx.find(GrantRecord.self, where: "client_id", equals: clientID, limit: 100_000) {
                try tx.revokeGrant(id: grant.id, at: now, reason: "client disabled")
            }
        }
        audit.record("client.disabled", by: .operatorCLI(), client: record.id, detail: "partner \(record.partnerID)")
    }
}
