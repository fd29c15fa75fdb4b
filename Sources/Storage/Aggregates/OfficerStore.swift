/// Registration officers.
public protocol OfficerStore: RecordStore {
    /// Throws `.alreadyExists` if the id or the token hash is taken.
    func addOfficer(_ officer: OfficerRecord) throws
    /// Throws `.notFound`.
    func officer(id: String) throws -> OfficerRecord
    /// The officer holding that token, disabled or not (the caller checks `disabledAt`).
    /// Throws `.notFound`.
    func officer(tokenHash: String) throws -> OfficerRecord
    /// All officers, ordered by id.
    func officers() throws -> [OfficerRecord]
    /// Disables from `at`; an officer already disabled keeps the first time. Throws `.notFound`.
    @discardableResult
    func disableOfficer(id: String, at: Int64) throws -> OfficerRecord
}

extension OfficerStore {
    public func addOfficer(_ officer: OfficerRecord) throws { try create(officer) }

    public func officer(id: String) throws -> OfficerRecord { try get(OfficerRecord.self, id: id) }

    public func officer(tokenHash: String) throws -> OfficerRecord {
        try unique(OfficerRecord.self, where: "token_hash", equals: tokenHash)
    }

    public func officers() throws -> [OfficerRecord] { try all(OfficerRecord.self) }

    @discardableResult
    public func disableOfficer(id: String, at: Int64) throws -> OfficerRecord {
        try update(OfficerRecord.self, id: id) { $0.disabledAt = $0.disabledAt ?? at }
    }
}

extension RecordStore {
    /// The one record with that value of a unique index; `.notFound` if none.
    func unique<R: StoredRecord>(_ type: R.Type, where index: String, equals value: String) throws -> R {
        guard let record = try find(type, where: index, equals: value, limit: 1).first else {
            throw StorageError.notFound
        }
        return record
    }
}
