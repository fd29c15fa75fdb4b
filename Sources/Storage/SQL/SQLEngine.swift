/// `RecordStore` over any `SQLConnectionPool`: reads on a reader connection, every write in a
/// transaction on the write connection, which the pool may share between concurrent writers
/// (group commit). A backend's public store forwards to this.
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

    /// The pool may share the transaction with other threads' bodies (group commit); `store` is
    /// closed when `body` returns, before the transaction passes on, so an escaped reference
    /// cannot write into another caller's part of it.
    func transaction<T>(_ body: (any Store) throws -> T) throws -> T {
        try pool.withWriteTransaction { db in
            let store = SQLTransactionStore(connection: db, kinds: kinds)
            defer { store.close() }
            return try body(store)
        }
    }
}
