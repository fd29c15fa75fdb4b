/// What a record kind looks like in the store: its table and its secondary indexes.
///
/// Every kind is stored as its Codable JSON in a `data` column beside an `id` primary key,
/// one column per index (named after the index) and a `collect_after` column for garbage
/// collection, so a new kind needs no hand-written SQL.
public struct RecordKind: Sendable, Equatable {
    /// Table name; a lowercase SQL identifier.
    public let table: String
    /// Index names, also their column names; lowercase SQL identifiers. `StoredRecord.indexValues`
    /// gives the values in this order.
    public let indexes: [String]
    /// The subset of `indexes` whose non-NULL values must be unique across the table.
    public let uniqueIndexes: Set<String>

    public init(table: String, indexes: [String] = [], unique: Set<String> = []) {
        self.table = table
        self.indexes = indexes
        self.uniqueIndexes = unique
    }
}
