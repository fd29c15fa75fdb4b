/// A citizen's enrolled phone and the public key it signs approvals with.
public struct DeviceRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "devices", indexes: ["citizen_id"])

    public var id: String
    public var citizenID: String
    public var name: String
    /// The public JWK as JSON text.
    public var publicKeyJWK: String
    public var pushURL: String?
    public var termsVersion: String
    public var createdAt: Int64
    public var revokedAt: Int64?
    public var lastSeenAt: Int64?

    public var indexValues: [String?] { [citizenID] }

    public init(
        id: String, citizenID: String, name: String, publicKeyJWK: String, pushURL: String? = nil,
        termsVersion: String, createdAt: Int64, revokedAt: Int64? = nil, lastSeenAt: Int64? = nil
    ) {
        self.id = id
        self.citizenID = citizenID
        self.name = name
        self.publicKeyJWK = publicKeyJWK
        self.pushURL = pushURL
        self.termsVersion = termsVersion
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.lastSeenAt = lastSeenAt
    }
}
