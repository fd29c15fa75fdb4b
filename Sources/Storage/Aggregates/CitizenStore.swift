/// Proofed citizens.
public protocol CitizenStore: RecordStore {
    /// Throws `.notFound`.
    func citizen(id: String) throws -> CitizenRecord
    /// Inserts a new citizen, or replaces names, birthdate, laser code, IAL and `updatedAt` of a
    /// known one, keeping its `createdAt`. Returns what is stored.
    @discardableResult
    func upsertCitizen(_ citizen: CitizenRecord) throws -> CitizenRecord
}

extension CitizenStore {
    public func citizen(id: String) throws -> CitizenRecord { try get(CitizenRecord.self, id: id) }

    @discardableResult
    public func upsertCitizen(_ citizen: CitizenRecord) throws -> CitizenRecord {
        try transaction { tx in
            do {
                return try tx.update(CitizenRecord.self, id: citizen.id) { stored in
                    let createdAt = stored.createdAt
                    stored = citizen
                    stored.createdAt = createdAt
                }
            } catch StorageError.notFound {
                try tx.create(citizen)
                return citizen
            }
        }
    }
}
