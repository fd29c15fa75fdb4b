/// A citizen's consent for one client: which scopes and claims it may receive. Listable and
/// revocable by the citizen.
public struct ConsentRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "consents", indexes: ["citizen_id", "client_id"])

    /// Citizen id + "|" + client id.
    public var id: String
    public var citizenID: String
    public var clientID: String
    public var scopes: [String]
    public var claims: [String]
    public var grantedAt: Int64
    public var updatedAt: Int64
    public var revokedAt: Int64?

    public var indexValues: [String?] { [citizenID, clientID] }

    public init(
        id: String, citizenID: String, clientID: String, scopes: [String], claims: [String], grantedAt: Int64, updatedAt: Int64, revokedAt: Int64? = nil
    ) {
        self.id = id
        self.citizenID = citizenID
        self.clientID = clientID
        self.scopes = scopes
        self.claims = claims
        self.grantedAt = grantedAt
        self.updatedAt = updatedAt
        self.revokedAt = revokedAt
    }
}
