import Foundation

/// The `Store` handed to a transaction body: every call runs on the transaction's connection.
/// It refuses use after its transaction ended, so an escaped reference cannot write outside it.
///
/// `@unchecked Sendable`: `isOpen` and `savepoints` are guarded by `lock`; the connection is
/// itself `Sendable`.
final class SQLTransactionStore: Store, @unchecked Sendable {
    private let core: SQLRecordCore
    private let lock = NSLock()
    private var isOpen = true
    private var savepoints = 0

    init(connection: any SQLConnection, kinds: [RecordKind]) {
        core = SQLRecordCore(db: connection, kinds: kinds)
    }

    /// Called when the transaction commits or rolls back.
    func close() { lock.withLock { isOpen = false } }

    private func open() throws -> SQLRecordCore {
        guard lock.withLock({ isOpen }) else {
            throw StorageError.backend("transaction store used after its transaction ended")
        }
        return core
    }

    func create<R: StoredRecord>(_ record: R) throws { try open().create(record) }

    func get<R: StoredRecord>(_ type: R.Type, id: String) throws -> R { try open().get(type, id: id) }

    func find<R: StoredRecord>(_ type: R.Type, where index: String, equals value: String, limit: Int) throws -> [R] {
        try open().find(type, where: index, equals: value, limit: limit)
    }

    func count<R: StoredRecord>(_ type: R.Type, where index: String, equals value: String) throws -> Int {
        try open().count(type, where: index, equals: value)
    }

    func list<R: StoredRecord>(_ type: R.Type, after id: String?, limit: Int) throws -> [R] {
        try open().list(type, after: id, limit: limit)
    }

    @discardableResult
    func update<R: StoredRecord>(_ type: R.Type, id: String, _ body: (inout R) throws -> Void) throws -> R {
        // A savepoint, so a body that throws leaves nothing half-done when the caller goes on.
        try transaction { _ in try core.update(type, id: id, body) }
    }

    func delete<R: StoredRecord>(_ type: R.Type, id: String) throws { try open().delete(type, id: id) }

    /// A nested transaction: a savepoint that an error thrown by `body` rolls back.
    func transaction<T>(_ body: (any Store) throws -> T) throws -> T {
        let db = try open().db
        let name = lock.withLock {
            savepoints += 1
            return "phisut_sp\(savepoints)"
        }
        defer { lock.withLock { savepoints -= 1 } }
        return try db.atomically(
            begin: "SAVEPOINT \(name)", commit: "RELEASE SAVEPOINT \(name)",
            rollback: ["ROLLBACK TO SAVEPOINT \(name)", "RELEASE SAVEPOINT \(name)"]
        ) { try body(self) }
    }

    @discardableResult
    func collectGarbage(now: Int64) throws -> Int { try open().collectGarbage(now: now) }

    @discardableResult
    func appendAudit(_ event: AuditEvent) throws -> Int64 { try open().appendAudit(event) }

    func audit(citizenID: String?, limit: Int, beforeSequence: Int64?) throws -> [AuditEvent] {
        try open().audit(citizenID: citizenID, limit: limit, beforeSequence: beforeSequence)
    }
}
