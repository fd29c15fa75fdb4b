/// A record stored as its Codable JSON beside indexed key columns.
public protocol StoredRecord: Codable, Sendable {
    /// The table and indexes this kind lives in.
    static var kind: RecordKind { get }
    /// Primary key; never changes after `create`.
    var id: String { get }
    /// Values for `Self.kind.indexes`, in the same order; `nil` stores NULL (never clashes).
    var indexValues: [String?] { get }
    /// Seconds since epoch after which `collectGarbage(now:)` may delete the record; `nil` = never.
    /// (Named so it cannot clash with a record's own `expiresAt` field.)
    var collectAfter: Int64? { get }
}

extension StoredRecord {
    public var indexValues: [String?] { [] }
    public var collectAfter: Int64? { nil }
}
