/// A value bound to, or read from, a SQL statement.
package enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)

    init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
    init(_ integer: Int64?) { self = integer.map(SQLValue.integer) ?? .null }

    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }
}

/// What one statement returned.
package struct SQLResult: Sendable {
    package var rows: [[SQLValue]] = []
    /// Rows inserted, updated or deleted by the statement.
    package var changes: Int = 0
}
