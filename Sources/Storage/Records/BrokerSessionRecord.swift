/// A citizen's single-sign-on session at the broker, stored under the SHA-256 of its cookie.
public struct BrokerSessionRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "broker_sessions", indexes: ["citizen_id", "sid"], unique: ["sid"])

    /// Hex SHA-256 of the session cookie.
    public var id: String
    /// The public session id of the ID token's `sid` claim.
    public var sid: String
    public var citizenID: String
    public var deviceID: String?
    public var authTime: Int64
    public var acr: String
    public var amr: [String]
    public var createdAt: Int64
    public var expiresAt: Int64
    public var endedAt: Int64?

    public var indexValues: [String?] { [citizenID, sid] }
    public var collectAfter: Int64? { expiresAt }

    public init(
        id: String, sid: String, citizenID: String, deviceID: String? = nil, authTime: Int64, acr: String, amr: [String], createdAt: Int64, expiresAt: Int64, endedAt: Int64? = nil
    ) {
        self.id = id
        self.sid = sid
        self.citizenID = citizenID
        self.deviceID = deviceID
        self.authTime = authTime
        self.acr = acr
        self.amr = amr
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
    }
}
