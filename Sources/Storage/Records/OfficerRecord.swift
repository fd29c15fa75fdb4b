/// A registration officer, who authenticates with a bearer token stored as its hash.
public struct OfficerRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "officers", indexes: ["token_hash"], unique: ["token_hash"])

    public var id: String
    public var name: String
    public var officeCode: String
    /// Lowercase hex SHA-256 of the bearer token; unique.
    public var tokenHash: String
    public var createdAt: Int64
    public var disabledAt: Int64?

    public var indexValues: [String?] { [tokenHash] }

    public init(id: String, name: String, officeCode: String, tokenHash: String, createdAt: Int64, disabledAt: Int64? = nil) {
        self.id = id
        self.name = name
        self.officeCode = officeCode
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }
}
