/// Values generated once and kept for the life of the installation.
public protocol SettingStore: RecordStore {
    /// The stored value of `name`, or — the first time — `make()` stored and returned. Two
    /// processes racing on the first time agree on one value.
    func setting(_ name: String, orCreate make: () -> String) throws -> String
}

extension SettingStore {
    public func setting(_ name: String, orCreate make: () -> String) throws -> String {
        do {
            return try get(SettingRecord.self, id: name).value
        } catch StorageError.notFound {
            do {
                try create(SettingRecord(id: name, value: make()))
            } catch StorageError.alreadyExists {
                // Another process won the race; use its value.
            }
            return try get(SettingRecord.self, id: name).value
        }
    }
}
