/// A named value the broker generates once and keeps, such as the pairwise-subject salt.
public struct SettingRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "settings")

    public var id: String
    public var value: String

    public init(
        id: String, value: String
    ) {
        self.id = id
        self.value = value
    }
}
