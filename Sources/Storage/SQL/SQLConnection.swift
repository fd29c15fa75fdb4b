/// One database connection as the shared SQL code sees it. A backend wraps its C handle in a
/// type conforming to this; the generic code never sees the handle.
package protocol SQLConnection: AnyObject, Sendable {
    var dialect: SQLDialect { get }
    /// Runs one statement with `parameters` bound to its placeholders, in order.
    /// `cached` keeps the prepared statement for the next call with the same text (false for
    /// one-off DDL). Throws `.alreadyExists` on a unique violation, `.backend` on anything else.
    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue], cached: Bool) throws -> SQLResult
    /// Whether a transaction is open: false after COMMIT/ROLLBACK, and after an error that made
    /// the backend roll the whole transaction back on its own (SQLite does so on I/O errors).
    var isInTransaction: Bool { get }
}

extension SQLConnection {
    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue] = []) throws -> SQLResult {
        try run(sql, parameters, cached: true)
    }

    /// Runs `body` between `begin` and `commit`; if either `body` or `commit` throws, runs
    /// `rollback` (whose own failures are ignored: the backend may already have rolled back,
    /// e.g. after an I/O error) and rethrows.
    func atomically<T>(begin: String, commit: String, rollback: [String], _ body: () throws -> T) throws -> T {
        try run(begin)
        do {
            let result = try body()
            try run(commit)
            return result
        } catch {
            for statement in rollback { _ = try? run(statement) }
            throw error
        }
    }
}

/// The connections of one database. A backend implements this; `SQLEngine` does the rest.
package protocol SQLConnectionPool: Sendable {
    /// Runs `body` with a connection no other thread uses meanwhile, for reads outside a transaction.
    func withReader<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    /// Runs `body` inside a write transaction on the write connection and returns its value once
    /// that transaction committed durably. The backend may run several threads' bodies in one
    /// transaction (group commit), each in its own savepoint: a body that throws undoes only its
    /// own writes and its error is rethrown; a failed COMMIT fails every body it would have
    /// committed. Throws `.backend` if the calling thread is already inside a write transaction
    /// here (the outer store used inside its own transaction), instead of deadlocking.
    func withWriteTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    /// Runs `body` with the write connection alone, outside any transaction. Throws `.backend` if
    /// the calling thread is inside a write transaction here.
    func withWriter<T>(_ body: (any SQLConnection) throws -> T) throws -> T
}
