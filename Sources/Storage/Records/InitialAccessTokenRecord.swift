/// An RFC 7591 §3 initial access token issued to a partner, stored as its hash.
/// Garbage-collected once expired; kept forever if it never expires (revoked ones too, for audit).
public struct InitialAccessTokenRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(
        table: "initial_access_tokens", indexes: ["partner_id", "token_hash"], unique: ["token_hash"])

    public var id: String
    public var partnerID: String
    /// Lowercase hex SHA-256 of the token; unique.
    public var tokenHash: String
    public var createdAt: Int64
    /// Unusable from this second on; nil = never expires.
    public var expiresAt: Int64?
    /// Registrations left; nil = unlimited.
    public var remainingUses: Int?
    public var revokedAt: Int64?

    public var indexValues: [String?] { [partnerID, tokenHash] }
    public var collectAfter: Int64? { expiresAt }

    /// Whether a registration may still spend this token at `now`: not revoked, not expired,
    /// uses left.
    public func isUsable(at now: Int64) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true) && (remainingUses.map { $0 > 0 } ?? true)
    }

    public init(
        id: String, partnerID: String, tokenHash: String, createdAt: Int64, expiresAt: Int64? = nil,
        remainingUses: Int? = nil, revokedAt: Int64? = nil
    ) {
        self.id = id
        self.partnerID = partnerID
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.remainingUses = remainingUses
        self.revokedAt = revokedAt
    }
}
