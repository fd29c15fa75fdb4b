/// A used one-time value (e.g. a JWT `jti`), kept until it could no longer be replayed.
public struct NonceRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "nonces")

    /// scope + ":" + value, e.g. "client-assertion:4f1c…".
    public var id: String
    public var expiresAt: Int64

    public var collectAfter: Int64? { expiresAt }

    public init(id: String, expiresAt: Int64) {
        self.id = id
        self.expiresAt = expiresAt
    }
}
