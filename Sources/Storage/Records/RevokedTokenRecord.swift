/// An access token revoked before its expiry (RFC 7009), by `jti`, kept until it would have
/// expired anyway.
public struct RevokedTokenRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "revoked_tokens")

    /// The token's jti.
    public var id: String
    public var expiresAt: Int64

    public var collectAfter: Int64? { expiresAt }

    public init(
        id: String, expiresAt: Int64
    ) {
        self.id = id
        self.expiresAt = expiresAt
    }
}
