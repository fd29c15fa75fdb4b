/// Citizens' enrolled devices.
public protocol DeviceStore: RecordStore {
    /// Throws `.alreadyExists`.
    func addDevice(_ device: DeviceRecord) throws
    /// Throws `.notFound`.
    func device(id: String) throws -> DeviceRecord
    /// All devices of a citizen, revoked ones included, ordered by id.
    func devices(citizenID: String) throws -> [DeviceRecord]
    /// Devices of a citizen that are not revoked.
    func activeDeviceCount(citizenID: String) throws -> Int
    /// Revokes from `at`; a device already revoked keeps the first time. Throws `.notFound`.
    @discardableResult
    func revokeDevice(id: String, at: Int64) throws -> DeviceRecord
}

extension DeviceStore {
    public func addDevice(_ device: DeviceRecord) throws { try create(device) }

    public func device(id: String) throws -> DeviceRecord { try get(DeviceRecord.self, id: id) }

    public func devices(citizenID: String) throws -> [DeviceRecord] {
        try find(DeviceRecord.self, where: "citizen_id", equals: citizenID, limit: 10_000)
    }

    public func activeDeviceCount(citizenID: String) throws -> Int {
        try devices(citizenID: citizenID).count { $0.revokedAt == nil }
    }

    @discardableResult
    public func revokeDevice(id: String, at: Int64) throws -> DeviceRecord {
        try update(DeviceRecord.self, id: id) { $0.revokedAt = $0.revokedAt ?? at }
    }
}
