@testable import Storage
import Testing

/// Versioned migrations: idempotent, persistent, and refusing what they do not know.
enum MigrationConformance {
    static let cases: [ConformanceCase] = [
        ConformanceCase(name: "reopening runs no migration again and keeps the data", reopens: true) { open in
            do {
                let store = try open()
                try store.addOfficer(Fixture.officer("o1"))
                try store.appendAudit(Fixture.event("officer.created"))
            }
            for _ in 0..<2 {
                let store = try open()
                #expect(try store.officer(id: "o1") == Fixture.officer("o1"))
                #expect(try store.audit(citizenID: nil, limit: 10, beforeSequence: nil).count == 1)
                let raw = try #require(store as? any RawSQLAccess)
                let versions = try raw.executeRaw("SELECT version FROM schema_migrations ORDER BY version")
                #expect(versions == Migration.all.map { [SQLValue.integer(Int64($0.version))] })
            }
        },
        ConformanceCase(name: "a database from a newer build is refused", reopens: true) { open in
            let future = Migration(version: 1_000, name: "from the future") { _ in ["CREATE TABLE future_things (id TEXT)"] }
            _ = try open(Migration.all + [future])
            #expect {
                _ = try open()
            } throws: { error in
                guard case StorageError.backend(let message) = error else { return false }
                return message.contains("newer")
            }
        },
        ConformanceCase(name: "a failing migration leaves nothing behind and is retried on the next open", reopens: true) { open in
            let broken = Migration(version: 50, name: "broken") { _ in ["CREATE TABLE half_done (id TEXT)", "THIS IS NOT SQL"] }
            #expect(throws: StorageError.self) { _ = try open(Migration.all + [broken]) }
            let store = try open()
            let raw = try #require(store as? any RawSQLAccess)
            #expect(try raw.executeRaw("SELECT version FROM schema_migrations WHERE version = 50").isEmpty)
            let fixed = Migration(version: 50, name: "broken") { _ in ["CREATE TABLE half_done (id TEXT)"] }
            _ = try open(Migration.all + [fixed])
        },
        ConformanceCase(name: "a migration renamed since it was applied is refused", reopens: true) { open in
            _ = try open()
            let last = try #require(Migration.all.last)
            let renamed = Array(Migration.all.dropLast()) + [Migration(version: last.version, name: last.name + " (edited)", sql: last.sql)]
            #expect(throws: StorageError.self) { _ = try open(renamed) }
        },
    ]
}
