/// What a citizen granted a client in one authorization: the family that an authorization code,
/// its access tokens and its rotating refresh tokens belong to. Revoking it revokes them all.
public struct GrantRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "grants", indexes: ["citizen_id", "client_id"])

    public var id: String
    public var clientID: String
    public var citizenID: String
    public var scopes: [String]
    public var claims: String?
    public var authTime: Int64
    public var acr: String
    public var amr: [String]
    public var sessionID: String?
    public var createdAt: Int64
    public var expiresAt: Int64
    public var revokedAt: Int64?
    public var revocationReason: String?

    public var indexValues: [String?] { [citizenID, clientID] }
    public var collectAfter: Int64? { expiresAt }

    public init(
        id: String, clientID: String, citizenID: String, scopes: [String], claims: String? = nil, authTime: Int64, acr: String, amr: [String], sessionID: String? = nil, createdAt: Int64, expiresAt: Int64, revokedAt: Int64? = nil, revocationReason: String? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.citizenID = citizenID
        self.scopes = scopes
        self.claims = claims
        self.authTime = authTime
        self.acr = acr
        self.amr = amr
        self.sessionID = sessionID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.revocationReason = revocationReason
    }
}
