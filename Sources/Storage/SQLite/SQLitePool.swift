import Foundation

/// One write connection plus up to `readers` read-only connections over one SQLite file.
///
/// Why this shape: SQLite allows one writer at a time anyway, so writers queue in process instead
/// of spinning on SQLITE_BUSY, and those that queue together share one transaction and one fsync
/// (`GroupCommitQueue`); in WAL mode readers never block the writer nor each other, so reads scale
/// over the reader connections. An in-memory database is private to its connection, so there
/// every read goes through the writer.
///
/// `@unchecked Sendable`: `idle` and `opened` are guarded by `readersAvailable`; the writer is
/// used only through `writes`, which hands it to one thread at a time.
final class SQLitePool: SQLConnectionPool, @unchecked Sendable {
    private let path: String
    private let busyTimeoutMilliseconds: Int32
    private let maxReaders: Int
    private let writer: SQLiteConnection
    private let writes: GroupCommitQueue
    private let readersAvailable = NSCondition()
    private var idle: [SQLiteConnection] = []
    private var opened = 0

    init(path: String, options: SQLiteOptions) throws {
        self.path = path
        let (seconds, attoseconds) = options.busyTimeout.components
        let milliseconds = max(0, min(Int64(Int32.max), seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000))
        busyTimeoutMilliseconds = Int32(milliseconds)
        maxReaders = Self.isInMemory(path) ? 0 : max(0, options.readers)
        writer = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        // WAL: readers work beside the writer. synchronous=FULL: every commit is fsynced before
        // it returns, so an acknowledged enrollment or consent survives a power cut (NORMAL could
        // lose the last commits). foreign_keys for any future REFERENCES.
        try writer.run("PRAGMA journal_mode=WAL", [], cached: false)
        try writer.run("PRAGMA synchronous=FULL", [], cached: false)
        try writer.run("PRAGMA foreign_keys=ON", [], cached: false)
        writes = GroupCommitQueue(connection: writer, limit: options.groupCommitLimit, window: options.groupCommitWindow)
    }

    private static func isInMemory(_ path: String) -> Bool {
        path == ":memory:" || path.isEmpty || path.hasPrefix("file::memory:") || path.contains("mode=memory")
    }

    /// The write connection, for migrations before the store is shared.
    var migrationConnection: any SQLConnection { writer }

    /// Counters of the group commit, for tests and diagnostics.
    var groupCommitStatistics: GroupCommitStatistics { writes.currentStatistics }

    func withWriteTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writes.write(body)
    }

    func withWriter<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writes.exclusive(reentrant: false, body)
    }

    func withReader<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        // In memory: a read through the outer store inside a transaction runs on the writer
        // (and sees the transaction's writes) rather than deadlock waiting for it.
        guard maxReaders > 0 else { return try writes.exclusive(reentrant: true, body) }
        let reader = try checkOut()
        defer { checkIn(reader) }
        return try body(reader)
    }

    private func checkOut() throws -> SQLiteConnection {
        readersAvailable.lock()
        while idle.isEmpty && opened >= maxReaders { readersAvailable.wait() }
        if let reader = idle.popLast() {
            readersAvailable.unlock()
            return reader
        }
        opened += 1
        readersAvailable.unlock()
        do {
            let reader = try SQLiteConnection(path: path, readOnly: true, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            try reader.run("PRAGMA foreign_keys=ON", [], cached: false)
            return reader
        } catch {
            readersAvailable.withLock { opened -= 1 }
            readersAvailable.signal()
            throw error
        }
    }

    private func checkIn(_ reader: SQLiteConnection) {
        readersAvailable.withLock { idle.append(reader) }
        readersAvailable.signal()
    }
}
