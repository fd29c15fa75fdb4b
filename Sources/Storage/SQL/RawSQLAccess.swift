/// Direct SQL on a SQL-backed store's write connection, for tests and operator tooling that must
/// bypass the record API (e.g. to prove the audit log refuses UPDATE and DELETE).
package protocol RawSQLAccess {
    /// Runs one statement on the write connection, outside any record API.
    func executeRaw(_ sql: String) throws -> [[SQLValue]]
}
