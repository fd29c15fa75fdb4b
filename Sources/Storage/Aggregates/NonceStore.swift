/// Replay protection for one-time values such as JWT `jti`s.
public protocol NonceStore: RecordStore {
    /// Records `key` (scope + ":" + value) as used until `expiresAt`. Throws `.alreadyExists` if
    /// it was used before and not yet garbage-collected — the caller must reject the replay.
    func useNonce(_ key: String, expiresAt: Int64) throws
}

extension NonceStore {
    public func useNonce(_ key: String, expiresAt: Int64) throws {
        try create(NonceRecord(id: key, expiresAt: expiresAt))
    }
}
