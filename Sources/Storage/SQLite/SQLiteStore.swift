/// The SQLite backend: one database file in WAL mode with `synchronous=FULL`, one writer whose
/// concurrent transactions share commits (group commit) and a few readers (see `SQLitePool`). Safe to share between threads. Runs pending migrations on
/// open and refuses a database written by a newer build.
public final class SQLiteStore: Store {
    let engine: SQLEngine
    private let pool: SQLitePool

    /// Opens (creating if needed) the database at `path` and migrates it. `":memory:"` gives a
    /// private in-memory database (no WAL, one connection), for tests.
    public convenience init(path: String, options: SQLiteOptions = .init()) throws {
        try self.init(path: path, options: options, migrations: Migration.all)
    }

    package init(path: String, options: SQLiteOptions = .init(), migrations: [Migration]) throws {
        let pool = try SQLitePool(path: path, options: options)
        try Migrator.migrate(pool.migrationConnection, migrations)
        self.pool = pool
        engine = SQLEngine(pool: pool, migrations: migrations)
    }

    /// How many writes shared each COMMIT so far, and how many writers wait now (tests, diagnostics).
    package var groupCommitStatistics: GroupCommitStatistics { pool.groupCommitStatistics }

    public func create<R: StoredRecord>(_ record: R) throws { try engine.transaction { try $0.create(record) } }

    public func get<R: StoredRecord>(_ type: R.Type, id: String) throws -> R { try engine.read { try $0.get(type, id: id) } }

    public func find<R: StoredRecord>(_ type: R.Type, where index: String, equals value: String, limit: Int) throws -> [R] {
        try engine.read { try $0.find(type, where: index, equals: value, limit: limit) }
    }

    public func count<R: StoredRecord>(_ type: R.Type, where index: String, equals value: String) throws -> Int {
        try engine.read { try $0.count(type, where: index, equals: value) }
    }

    public func list<R: StoredRecord>(_ type: R.Type, after id: String?, limit: Int) throws -> [R] {
        try engine.read { try $0.list(type, after: id, limit: limit) }
    }

    @discardableResult
    public func update<R: StoredRecord>(_ type: R.Type, id: String, _ body: (inout R) throws -> Void) throws -> R {
        try engine.transaction { try $0.update(type, id: id, body) }
    }

    public func delete<R: StoredRecord>(_ type: R.Type, id: String) throws { try engine.transaction { try $0.delete(type, id: id) } }

    public func transaction<T>(_ body: (any Store) throws -> T) throws -> T { try engine.transaction(body) }

    @discardableResult
    public func collectGarbage(now: Int64) throws -> Int { try engine.transaction { try $0.collectGarbage(now: now) } }

    @discardableResult
    public func appendAudit(_ event: AuditEvent) throws -> Int64 { try engine.transaction { try $0.appendAudit(event) } }

    public func audit(citizenID: String?, limit: Int, beforeSequence: Int64?) throws -> [AuditEvent] {
        try engine.read { try $0.audit(citizenID: citizenID, limit: limit, beforeSequence: beforeSequence) }
    }
}

extension SQLiteStore: RawSQLAccess {
    package func executeRaw(_ sql: String) throws -> [[SQLValue]] {
        try pool.withWriter { try $0.run(sql, [], cached: false).rows }
    }
}
