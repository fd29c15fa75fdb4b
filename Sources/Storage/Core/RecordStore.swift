/// The generic core a backend implements once; every aggregate API is built on it.
///
/// All methods are safe to call from many threads at once. Only `StorageError` is thrown,
/// except that `update` and `transaction` rethrow what their body throws.
public protocol RecordStore: Sendable {
    /// Inserts a new record. Throws `.alreadyExists` on an id or unique-index clash.
    func create<R: StoredRecord>(_ record: R) throws
    /// Throws `.notFound` if there is no record with that id.
    func get<R: StoredRecord>(_ type: R.Type, id: String) throws -> R
    /// Records whose `index` column equals `value`, ordered by id, at most `limit`.
    /// `index` must be one of `R.kind.indexes` (else `.backend`).
    func find<R: StoredRecord>(_ type: R.Type, where index: String, equals value: String, limit: Int) throws -> [R]
    /// How many records have `index` equal to `value`.
    func count<R: StoredRecord>(_ type: R.Type, where index: String, equals value: String) throws -> Int
    /// A page of records ordered by id (byte order), starting after `id` (nil = from the start).
    func list<R: StoredRecord>(_ type: R.Type, after id: String?, limit: Int) throws -> [R]
    /// Atomic read-modify-write: `body` sees the current record and no other writer can
    /// interleave. `body` must not change `id`. Throws `.notFound`, `.alreadyExists` (if the new
    /// index values clash), or rethrows what `body` throws (and nothing is written).
    @discardableResult
    func update<R: StoredRecord>(_ type: R.Type, id: String, _ body: (inout R) throws -> Void) throws -> R
    /// Throws `.notFound` if there is no record with that id.
    func delete<R: StoredRecord>(_ type: R.Type, id: String) throws
    /// Runs `body` in one transaction: all or nothing. An error thrown by `body` rolls back and
    /// is rethrown. Use only the `Store` passed in, which is bound to the transaction (using the
    /// outer store inside `body` is refused with `.backend`). Nested calls on the bound store are
    /// savepoints: an inner failure undoes only the inner writes.
    func transaction<T>(_ body: (any Store) throws -> T) throws -> T
    /// Deletes every record whose `collectAfter < now`, in all kinds. Returns how many.
    @discardableResult
    func collectGarbage(now: Int64) throws -> Int
    /// Appends to the audit log; returns the assigned sequence number (`event.sequence` is ignored).
    @discardableResult
    func appendAudit(_ event: AuditEvent) throws -> Int64
    /// Audit events, newest first: only those of `citizenID` (nil = all), only those with a
    /// sequence below `beforeSequence` (nil = from the newest), at most `limit`.
    func audit(citizenID: String?, limit: Int, beforeSequence: Int64?) throws -> [AuditEvent]
}

extension RecordStore {
    /// Every record of a kind, ordered by id, read page by page.
    func all<R: StoredRecord>(_ type: R.Type, pageSize: Int = 500) throws -> [R] {
        var result: [R] = []
        var after: String?
        while true {
            let page = try list(type, after: after, limit: pageSize)
            result += page
            guard page.count == pageSize, let last = page.last else { return result }
            after = last.id
        }
    }
}
