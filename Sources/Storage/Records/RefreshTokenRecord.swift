/// A refresh token, stored under its SHA-256. Rotation marks it used; presenting a used one again
/// is reuse and revokes the whole grant (RFC 9700 §4.14.2).
public struct RefreshTokenRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "refresh_tokens", indexes: ["grant_id"])

    /// Hex SHA-256 of the token.
    public var id: String
    public var grantID: String
    public var clientID: String
    public var scopes: [String]
    public var createdAt: Int64
    public var expiresAt: Int64
    public var usedAt: Int64?

    public var indexValues: [String?] { [grantID] }
    public var collectAfter: Int64? { expiresAt }

    public init(
        id: String, grantID: String, clientID: String, scopes: [String], createdAt: Int64, expiresAt: Int64, usedAt: Int64? = nil
    ) {
        self.id = id
        self.grantID = grantID
        self.clientID = clientID
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}
