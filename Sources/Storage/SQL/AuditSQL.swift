/// The SQL of the append-only audit log.
struct AuditSQL {
    let dialect: SQLDialect

    static let columns = ["time", "actor_type", "actor_id", "office", "action", "citizen_id", "client_id", "outcome", "detail"]

    var createTable: [String] {
        let int = dialect.integerType
        return [
            """
            CREATE TABLE audit_events (sequence \(dialect.sequenceKey), time \(int) NOT NULL, \
            actor_type TEXT NOT NULL, actor_id TEXT NOT NULL, office TEXT, action TEXT NOT NULL, \
            citizen_id \(dialect.keyType), client_id TEXT, outcome TEXT NOT NULL, detail TEXT NOT NULL)
            """,
            "CREATE INDEX audit_events_citizen ON audit_events (citizen_id, sequence)",
        ] + dialect.appendOnly("audit_events")
    }

    /// Parameters: `AuditSQL.columns`, in order.
    var insert: String {
        """
        INSERT INTO audit_events (\(Self.columns.joined(separator: ", "))) \
        VALUES (\(dialect.placeholders(from: 1, count: Self.columns.count))) RETURNING sequence
        """
    }

    /// Parameters: [citizen_id,] [before,] limit.
    func select(citizen: Bool, before: Bool) -> String {
        var conditions: [String] = []
        var n = 0
        if citizen { n += 1; conditions.append("citizen_id = \(dialect.placeholder(n))") }
        if before { n += 1; conditions.append("sequence < \(dialect.placeholder(n))") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return """
            SELECT sequence, \(Self.columns.joined(separator: ", ")) FROM audit_events\(filter) \
            ORDER BY sequence DESC LIMIT \(dialect.placeholder(n + 1))
            """
    }
}
