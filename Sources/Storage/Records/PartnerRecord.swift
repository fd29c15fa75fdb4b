/// A relying-party organisation that may register clients with initial access tokens.
public struct PartnerRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "partners")

    public var id: String
    public var name: String
    public var createdAt: Int64
    public var disabledAt: Int64?

    public init(id: String, name: String, createdAt: Int64, disabledAt: Int64? = nil) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }
}
