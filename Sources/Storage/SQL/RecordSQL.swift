/// The SQL of one record kind, generated from its `RecordKind`: the only SQL a new aggregate
/// gets. Table: `id` primary key, `data` (the record's JSON), `collect_after`, one column per index.
struct RecordSQL {
    let kind: RecordKind
    let dialect: SQLDialect

    private var table: String { kind.table }
    private func p(_ n: Int) -> String { dialect.placeholder(n) }

    var createTable: [String] {
        let indexColumns = kind.indexes.map { ", \($0) \(dialect.keyType)" }.joined()
        return [
            """
            CREATE TABLE \(table) (id \(dialect.keyType) PRIMARY KEY, data TEXT NOT NULL, \
            collect_after \(dialect.integerType)\(indexColumns))
            """,
            "CREATE INDEX \(table)_collect_after ON \(table) (collect_after) WHERE collect_after IS NOT NULL",
        ]
            + kind.indexes.map { index in
                let unique = kind.uniqueIndexes.contains(index) ? "UNIQUE " : ""
                return "CREATE \(unique)INDEX \(table)_\(index) ON \(table) (\(index))"
            }
    }

    /// Parameters: id, data, collect_after, index values.
    var insert: String {
        let columns = (["id", "data", "collect_after"] + kind.indexes).joined(separator: ", ")
        return "INSERT INTO \(table) (\(columns)) VALUES (\(dialect.placeholders(from: 1, count: 3 + kind.indexes.count)))"
    }

    /// Parameters: data, collect_after, index values, id.
    var update: String {
        let assignments = (["data", "collect_after"] + kind.indexes).enumerated()
            .map { "\($1) = \(p($0 + 1))" }.joined(separator: ", ")
        return "UPDATE \(table) SET \(assignments) WHERE id = \(p(kind.indexes.count + 3))"
    }

    var selectByID: String { "SELECT data FROM \(table) WHERE id = \(p(1))" }
    var selectByIDForUpdate: String { selectByID + dialect.lockRow }
    var delete: String { "DELETE FROM \(table) WHERE id = \(p(1))" }
    /// Parameters: now.
    var collectGarbage: String { "DELETE FROM \(table) WHERE collect_after < \(p(1))" }

    /// Parameters: value, limit. `index` must be a known index (checked by the caller).
    func find(index: String) -> String {
        "SELECT data FROM \(table) WHERE \(index) = \(p(1)) ORDER BY id LIMIT \(p(2))"
    }

    /// Parameters: value.
    func count(index: String) -> String { "SELECT COUNT(*) FROM \(table) WHERE \(index) = \(p(1))" }

    /// Parameters: [after,] limit.
    func list(after: Bool) -> String {
        after
            ? "SELECT data FROM \(table) WHERE id > \(p(1)) ORDER BY id LIMIT \(p(2))"
            : "SELECT data FROM \(table) ORDER BY id LIMIT \(p(1))"
    }
}
