/// A citizen as proofed from the national ID card.
public struct CitizenRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "citizens")

    /// The 13-digit citizen ID.
    public var id: String
    public var givenNameTH: String
    public var givenNameEN: String
    public var familyNameTH: String
    public var familyNameEN: String
    /// YYYY-MM-DD.
    public var birthdate: String
    public var cardLaserCode: String?
    /// Identity assurance level, e.g. "2.3".
    public var ial: String
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, givenNameTH: String, givenNameEN: String, familyNameTH: String, familyNameEN: String,
        birthdate: String, cardLaserCode: String? = nil, ial: String, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.givenNameTH = givenNameTH
        self.givenNameEN = givenNameEN
        self.familyNameTH = familyNameTH
        self.familyNameEN = familyNameEN
        self.birthdate = birthdate
        self.cardLaserCode = cardLaserCode
        self.ial = ial
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
