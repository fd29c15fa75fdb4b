/// Clients registered dynamically (RFC 7591 / RFC 7592).
public protocol RegisteredClientStore: RecordStore {
    /// Throws `.alreadyExists` if the id or registration token hash is taken.
    func addRegisteredClient(_ client: RegisteredClientRecord) throws
    /// Throws `.notFound`.
    func registeredClient(id: String) throws -> RegisteredClientRecord
    /// All registered clients, ordered by id.
    func registeredClients() throws -> [RegisteredClientRecord]
    /// The clients a partner registered, ordered by id.
    func registeredClients(partnerID: String) throws -> [RegisteredClientRecord]
    /// Atomic read-modify-write. Throws `.notFound`, `.alreadyExists`, or what `body` throws.
    @discardableResult
    func updateRegisteredClient(id: String, _ body: (inout RegisteredClientRecord) throws -> Void) throws -> RegisteredClientRecord
    /// Throws `.notFound`.
    func deleteRegisteredClient(id: String) throws
}

extension RegisteredClientStore {
    public func addRegisteredClient(_ client: RegisteredClientRecord) throws { try create(client) }

    public func registeredClient(id: String) throws -> RegisteredClientRecord { try get(RegisteredClientRecord.self, id: id) }

    public func registeredClients() throws -> [RegisteredClientRecord] { try all(RegisteredClientRecord.self) }

    public func registeredClients(partnerID: String) throws -> [RegisteredClientRecord] {
        try find(RegisteredClientRecord.self, where: "partner_id", equals: partnerID, limit: 10_000)
    }

    @discardableResult
    public func updateRegisteredClient(id: String, _ body: (inout RegisteredClientRecord) throws -> Void) throws -> RegisteredClientRecord {
        try update(RegisteredClientRecord.self, id: id, body)
    }

    public func deleteRegisteredClient(id: String) throws { try delete(RegisteredClientRecord.self, id: id) }
}
