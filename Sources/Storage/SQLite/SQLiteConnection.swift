import CSQLite
import Foundation

/// Owns one `sqlite3` connection (closed in `deinit`) and its prepared-statement cache.
///
/// `@unchecked Sendable`: the handle is opened in SQLite's multi-thread mode (NOMUTEX), which
/// allows one thread at a time per connection; `lock` guarantees that, and guards `statements`.
final class SQLiteConnection: SQLConnection, @unchecked Sendable {
    let dialect = SQLDialect.sqlite
    private let handle: OpaquePointer
    private let lock = NSLock()
    private var statements: [String: SQLiteStatement] = [:]

    init(path: String, readOnly: Bool, busyTimeoutMilliseconds: Int32) throws {
        var handle: OpaquePointer?
        let access = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let code = sqlite3_open_v2(path, &handle, access | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw StorageError.backend("cannot open SQLite database at \(path): \(message)")
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    deinit {
        statements.removeAll()  // finalizes every statement before the handle goes
        sqlite3_close_v2(handle)
    }

    @discardableResult
    func run(_ sql: String, _ parameters: [SQLValue], cached: Bool) throws -> SQLResult {
        try lock.withLock {
            let statement = try prepare(sql, cached: cached)
            defer { statement.reset() }
            if let code = statement.bind(parameters) { throw error(code, sql) }
            var result = SQLResult()
            while true {
                let code = sqlite3_step(statement.handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw error(code, sql) }
                result.rows.append(statement.row())
            }
            result.changes = Int(sqlite3_changes64(handle))
            return result
        }
    }

    var isInTransaction: Bool { lock.withLock { sqlite3_get_autocommit(handle) == 0 } }

    private func prepare(_ sql: String, cached: Bool) throws -> SQLiteStatement {
        if cached, let statement = statements[sql] { return statement }
        var raw: OpaquePointer?
        let flags = cached ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(handle, sql, -1, flags, &raw, nil)
        guard code == SQLITE_OK, let raw else { throw error(code, sql) }
        let statement = SQLiteStatement(handle: raw)
        if cached { statements[sql] = statement }
        return statement
    }

    private func error(_ code: Int32, _ sql: String) -> StorageError {
        if CSQLite_isUniqueViolation(code) != 0 { return .alreadyExists }
        let message = code == sqlite3_extended_errcode(handle) ? String(cString: sqlite3_errmsg(handle)) : String(cString: sqlite3_errstr(code))
        return .backend("SQLite error \(code): \(message) [\(sql.prefix(120))]")
    }
}
