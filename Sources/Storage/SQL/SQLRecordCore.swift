import Foundation

/// The record and audit operations as SQL on one connection, written once for every backend.
/// Writes must run inside a transaction the caller opened (see `SQLTransactionStore`).
struct SQLRecordCore {
    let db: any SQLConnection
    /// Kinds swept by `collectGarbage`.
    let kinds: [RecordKind]

    private func sql<R: StoredRecord>(_: R.Type) -> RecordSQL { RecordSQL(kind: R.kind, dialect: db.dialect) }

    func create<R: StoredRecord>(_ record: R) throws {
        try db.run(sql(R.self).insert, [.text(record.id)] + columnValues(record))
    }

    func get<R: StoredRecord>(_: R.Type, id: String, forUpdate: Bool = false) throws -> R {
        let s = sql(R.self)
        let rows = try db.run(forUpdate ? s.selectByIDForUpdate : s.selectByID, [.text(id)]).rows
        guard let row = rows.first else { throw StorageError.notFound }
        return try decode(R.self, row)
    }

    func find<R: StoredRecord>(_: R.Type, where index: String, equals value: String, limit: Int) throws -> [R] {
        guard limit > 0 else { return [] }
        let query = sql(R.self).find(index: try checked(index, of: R.self))
        return try db.run(query, [.text(value), .integer(Int64(limit))]).rows.map { try decode(R.self, $0) }
    }

    func count<R: StoredRecord>(_: R.Type, where index: String, equals value: String) throws -> Int {
        let query = sql(R.self).count(index: try checked(index, of: R.self))
        guard let count = try db.run(query, [.text(value)]).rows.first?.first?.integer else {
            throw StorageError.backend("COUNT returned no integer")
        }
        return Int(count)
    }

    func list<R: StoredRecord>(_: R.Type, after id: String?, limit: Int) throws -> [R] {
        guard limit > 0 else { return [] }
        let parameters: [SQLValue] = (id.map { [SQLValue.text($0)] } ?? []) + [.integer(Int64(limit))]
        return try db.run(sql(R.self).list(after: id != nil), parameters).rows.map { try decode(R.self, $0) }
    }

    func update<R: StoredRecord>(_: R.Type, id: String, _ body: (inout R) throws -> Void) throws -> R {
        var record = try get(R.self, id: id, forUpdate: true)
        try body(&record)
        guard record.id == id else { throw StorageError.backend("update must not change the id of \(R.kind.table) record") }
        try db.run(sql(R.self).update, try columnValues(record) + [.text(id)])
        return record
    }

    func delete<R: StoredRecord>(_: R.Type, id: String) throws {
        guard try db.run(sql(R.self).delete, [.text(id)]).changes > 0 else { throw StorageError.notFound }
    }

    func collectGarbage(now: Int64) throws -> Int {
        try kinds.reduce(0) { total, kind in
            total + (try db.run(RecordSQL(kind: kind, dialect: db.dialect).collectGarbage, [.integer(now)]).changes)
        }
    }

    func appendAudit(_ event: AuditEvent) throws -> Int64 {
        let values: [SQLValue] = [
            .integer(event.time), .text(event.actorType), .text(event.actorID), SQLValue(event.office),
            .text(event.action), SQLValue(event.citizenID), SQLValue(event.clientID), .text(event.outcome),
            .text(event.detail),
        ]
        guard let sequence = try db.run(AuditSQL(dialect: db.dialect).insert, values).rows.first?.first?.integer else {
            throw StorageError.backend("audit insert returned no sequence")
        }
        return sequence
    }

    func audit(citizenID: String?, limit: Int, beforeSequence: Int64?) throws -> [AuditEvent] {
        guard limit > 0 else { return [] }
        let query = AuditSQL(dialect: db.dialect).select(citizen: citizenID != nil, before: beforeSequence != nil)
        var parameters: [SQLValue] = []
        if let citizenID { parameters.append(.text(citizenID)) }
        if let beforeSequence { parameters.append(.integer(beforeSequence)) }
        parameters.append(.integer(Int64(limit)))
        return try db.run(query, parameters).rows.map(Self.auditEvent)
    }

    // MARK: - Rows

    /// data, collect_after, index values — the columns every write sets.
    private func columnValues<R: StoredRecord>(_ record: R) throws -> [SQLValue] {
        let indexValues = record.indexValues
        guard indexValues.count == R.kind.indexes.count else {
            throw StorageError.backend("\(R.kind.table): \(indexValues.count) index values for \(R.kind.indexes.count) indexes")
        }
        let data: Data
        do { data = try JSONEncoder().encode(record) } catch {
            throw StorageError.backend("cannot encode \(R.kind.table) record: \(error)")
        }
        return [.text(String(decoding: data, as: UTF8.self)), SQLValue(record.collectAfter)] + indexValues.map(SQLValue.init)
    }

    private func decode<R: StoredRecord>(_: R.Type, _ row: [SQLValue]) throws -> R {
        guard let json = row.first?.text else { throw StorageError.backend("\(R.kind.table): row without data") }
        do { return try JSONDecoder().decode(R.self, from: Data(json.utf8)) } catch {
            throw StorageError.backend("corrupt \(R.kind.table) record: \(error)")
        }
    }

    /// Only declared indexes may reach the SQL text, so a caller's string is never SQL.
    private func checked<R: StoredRecord>(_ index: String, of _: R.Type) throws -> String {
        guard R.kind.indexes.contains(index) else {
            throw StorageError.backend("\(R.kind.table) has no index \(index)")
        }
        return index
    }

    private static func auditEvent(_ row: [SQLValue]) throws -> AuditEvent {
        guard row.count == 1 + AuditSQL.columns.count, let sequence = row[0].integer, let time = row[1].integer,
            let actorType = row[2].text, let actorID = row[3].text, let action = row[5].text,
            let outcome = row[8].text, let detail = row[9].text
        else { throw StorageError.backend("corrupt audit row") }
        return AuditEvent(
            sequence: sequence, time: time, actorType: actorType, actorID: actorID, office: row[4].text,
            action: action, citizenID: row[6].text, clientID: row[7].text, outcome: outcome, detail: detail)
    }
}
