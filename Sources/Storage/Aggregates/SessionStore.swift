/// Citizens' single-sign-on sessions at the broker.
public protocol SessionStore: RecordStore {
    func addSession(_ session: BrokerSessionRecord) throws
    /// Throws `.notFound`.
    func session(hash: String) throws -> BrokerSessionRecord
    /// By the public `sid`. Throws `.notFound`.
    func session(sid: String) throws -> BrokerSessionRecord
    /// Ends the session (first time kept). Throws `.notFound`.
    @discardableResult
    func endSession(hash: String, at: Int64) throws -> BrokerSessionRecord
}

extension SessionStore {
    public func addSession(_ session: BrokerSessionRecord) throws { try create(session) }
    public func session(hash: String) throws -> BrokerSessionRecord { try get(BrokerSessionRecord.self, id: hash) }
    public func session(sid: String) throws -> BrokerSessionRecord {
        guard let found = try find(BrokerSessionRecord.self, where: "sid", equals: sid, limit: 1).first else {
            throw StorageError.notFound
        }
        return found
    }
    @discardableResult
    public func endSession(hash: String, at: Int64) throws -> BrokerSessionRecord {
        try update(BrokerSessionRecord.self, id: hash) { $0.endedAt = $0.endedAt ?? at }
    }
}
