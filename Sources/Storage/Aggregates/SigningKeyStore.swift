/// Signing keys for ID tokens and the JWKS.
public protocol SigningKeyStore: RecordStore {
    /// All keys, active, retired and not yet removed, ordered by id.
    func signingKeys() throws -> [SigningKeyRecord]
    /// Throws `.alreadyExists` if the kid is taken.
    func addSigningKey(_ key: SigningKeyRecord) throws
    /// Stops the key signing from `at` and schedules its removal from the JWKS. A key already
    /// retired keeps its first `retiredAt`; `removeAfter` is always replaced. Throws `.notFound`.
    @discardableResult
    func retireSigningKey(id: String, at: Int64, removeAfter: Int64?) throws -> SigningKeyRecord
}

extension SigningKeyStore {
    public func signingKeys() throws -> [SigningKeyRecord] { try all(SigningKeyRecord.self) }

    public func addSigningKey(_ key: SigningKeyRecord) throws { try create(key) }

    @discardableResult
    public func retireSigningKey(id: String, at: Int64, removeAfter: Int64?) throws -> SigningKeyRecord {
        try update(SigningKeyRecord.self, id: id) {
            $0.retiredAt = $0.retiredAt ?? at
            $0.removeAfter = removeAfter
        }
    }
}
