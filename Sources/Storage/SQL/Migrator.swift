import Foundation

/// Brings a database to the latest schema: each pending migration in its own write transaction,
/// recorded in `schema_migrations`. Running it again is a no-op; a database migrated by a newer
/// build (unknown versions) is refused rather than risk misreading it.
enum Migrator {
    static func migrate(_ db: any SQLConnection, _ migrations: [Migration]) throws {
        let versions = migrations.map(\.version)
        guard versions == versions.sorted(), Set(versions).count == versions.count, (versions.first ?? 1) > 0 else {
            throw StorageError.backend("migrations must have distinct positive versions in ascending order")
        }
        let int = db.dialect.integerType
        try db.run(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version \(int) PRIMARY KEY, name TEXT NOT NULL, applied_at \(int) NOT NULL)",
            [], cached: false)
        let applied = try db.run("SELECT version, name FROM schema_migrations ORDER BY version", [], cached: false).rows
        let latest = versions.last ?? 0
        for row in applied {
            guard let version = row.first?.integer, let name = row.last?.text else {
                throw StorageError.backend("corrupt schema_migrations row")
            }
            guard version <= latest else {
                throw StorageError.backend(
                    "database schema version \(version) is newer than this build supports (\(latest)); refusing to open it")
            }
            if let known = migrations.first(where: { $0.version == version }), known.name != name {
                throw StorageError.backend("schema migration \(version) is \"\(name)\" in the database but \"\(known.name)\" here")
            }
        }
        let done = Set(applied.compactMap { $0.first?.integer })
        for migration in migrations where !done.contains(Int64(migration.version)) {
            try apply(migration, db)
        }
    }

    private static func apply(_ migration: Migration, _ db: any SQLConnection) throws {
        let p = db.dialect.placeholder
        do {
            try db.atomically(begin: db.dialect.beginWrite, commit: "COMMIT", rollback: ["ROLLBACK"]) {
                // Another process may have applied it between our read and our lock.
                let version = SQLValue.integer(Int64(migration.version))
                guard try db.run("SELECT 1 FROM schema_migrations WHERE version = \(p(1))", [version], cached: false).rows.isEmpty
                else { return }
                for statement in migration.sql(db.dialect) { try db.run(statement, [], cached: false) }
                try db.run(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(p(1)), \(p(2)), \(p(3)))",
                    [version, .text(migration.name), .integer(Int64(Date().timeIntervalSince1970))], cached: false)
            }
        } catch {
            throw StorageError.backend("migration \(migration.version) (\(migration.name)) failed: \(error)")
        }
    }
}
