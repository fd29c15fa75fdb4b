import CSQLite

/// Owns one prepared `sqlite3_stmt`, finalized in `deinit`. Used only under its connection's lock.
final class SQLiteStatement {
    let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }

    deinit { sqlite3_finalize(handle) }

    /// Binds `parameters` to placeholders 1…n; returns the first SQLite error code, or nil.
    func bind(_ parameters: [SQLValue]) -> Int32? {
        guard Int(sqlite3_bind_parameter_count(handle)) == parameters.count else { return SQLITE_RANGE }
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .integer(let integer): code = sqlite3_bind_int64(handle, index, integer)
            case .text(let text): code = Self.bind(text, to: handle, at: index)
            }
            if code != SQLITE_OK { return code }
        }
        return nil
    }

    /// Binds with an explicit byte length, so embedded NULs survive and huge text is refused
    /// by SQLite (SQLITE_TOOBIG) rather than truncated.
    private static func bind(_ text: String, to handle: OpaquePointer, at index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { bytes in
            // An empty buffer may have no address, and a NULL pointer would bind SQL NULL.
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                return sqlite3_bind_text64(handle, index, "", 0, CSQLite_transient(), UInt8(SQLITE_UTF8))
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text64(handle, index, $0, UInt64(bytes.count), CSQLite_transient(), UInt8(SQLITE_UTF8))
            }
        }
    }

    /// The current row's columns.
    func row() -> [SQLValue] {
        (0..<sqlite3_column_count(handle)).map { column in
            switch sqlite3_column_type(handle, column) {
            case SQLITE_NULL: return .null
            case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
            default:
                guard let bytes = sqlite3_column_text(handle, column) else { return .null }
                let count = Int(sqlite3_column_bytes(handle, column))
                return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
            }
        }
    }

    /// Readies the statement for its next use and drops bound values (they may be secrets).
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }
}
