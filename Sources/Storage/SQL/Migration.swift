/// One versioned schema change. Migrations run in ascending `version`, each in its own
/// transaction, and are recorded in `schema_migrations`.
package struct Migration: Sendable {
    package let version: Int
    package let name: String
    /// The statements, in the given dialect.
    package let sql: @Sendable (SQLDialect) -> [String]
    /// Record kinds whose tables this migration creates; `collectGarbage` sweeps them.
    package let recordKinds: [RecordKind]

    package init(version: Int, name: String, recordKinds: [RecordKind] = [], sql: @escaping @Sendable (SQLDialect) -> [String]) {
        self.version = version
        self.name = name
        self.recordKinds = recordKinds
        self.sql = sql
    }

    /// A migration that creates the tables of new record kinds: all a new aggregate needs.
    package static func records(version: Int, name: String, _ kinds: [RecordKind]) -> Migration {
        Migration(version: version, name: name, recordKinds: kinds) { dialect in
            kinds.flatMap { RecordSQL(kind: $0, dialect: dialect).createTable }
        }
    }
}
