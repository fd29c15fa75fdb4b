/// `RecordStore` over any `SQLConnectionPool`: reads on a reader connection, every write in a
/// transaction on the write connection. A backend's public store forwards to this.
struct SQLEngine: Sendable {
    let pool: any SQLConnectionPool
    let kinds: [RecordKind]

    init(pool: any SQLConnectionPool, migrations: [Migration]) {
        self.pool = pool
        self.kinds = migrations.flatMap(\.recordKinds)
    }

    func read<T>(_ body: (SQLRecordCore) throws -> T) throws -> T {
        try pool.withReader { try body(SQLRecordCore(db: $0, kinds: kinds)) }
    }

    func transaction<T>(_ body: (any Store) throws -> T) throws -> T {
        try pool.withWriter { db in
            let store = SQLTransactionStore(connection: db, kinds: kinds)
            defer { store.close() }
            return try db.atomically(begin: db.dialect.beginWrite, commit: "COMMIT", rollback: ["ROLLBACK"]) {
                try body(store)
            }
        }
    }
}
