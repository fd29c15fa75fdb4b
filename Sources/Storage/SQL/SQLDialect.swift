/// The few places where SQLite and PostgreSQL differ; all other SQL is written once.
package struct SQLDialect: Sendable {
    package enum Placeholders: Sendable { case questionMark, dollarNumbered }

    package let name: String
    let placeholders: Placeholders
    /// Column type for ids and index keys: must compare bytewise so `list` pages by byte order.
    let keyType: String
    let integerType: String
    /// Column definition of an auto-assigned, increasing 64-bit primary key.
    let sequenceKey: String
    /// Starts a write transaction that takes the write lock up front, so a read-modify-write
    /// never fails half-way on a lock upgrade (SQLite).
    let beginWrite: String
    /// Appended to the SELECT of a read-modify-write to lock the row until commit.
    let lockRow: String
    /// Statements that make `table` append-only by aborting UPDATE and DELETE.
    let appendOnly: @Sendable (_ table: String) -> [String]

    /// `n`-th placeholder, counting from 1.
    func placeholder(_ n: Int) -> String {
        switch placeholders {
        case .questionMark: "?\(n)"
        case .dollarNumbered: "$\(n)"
        }
    }

    /// Placeholders `first`, `first + 1`, … joined by ", ".
    func placeholders(from first: Int, count: Int) -> String {
        (first..<first + count).map(placeholder).joined(separator: ", ")
    }

    package static let sqlite = SQLDialect(
        name: "SQLite", placeholders: .questionMark, keyType: "TEXT", integerType: "INTEGER",
        sequenceKey: "INTEGER PRIMARY KEY AUTOINCREMENT", beginWrite: "BEGIN IMMEDIATE", lockRow: "",
        appendOnly: { table in
            ["UPDATE", "DELETE"].map { operation in
                """
                CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END
                """
            }
        })

    /// Not exercised until the PostgreSQL backend lands; kept here to keep the seam honest.
    /// That backend must also wrap each write statement in a savepoint, because PostgreSQL
    /// aborts the whole transaction on any error while SQLite undoes only the statement.
    package static let postgres = SQLDialect(
        name: "PostgreSQL", placeholders: .dollarNumbered, keyType: "TEXT COLLATE \"C\"", integerType: "BIGINT",
        sequenceKey: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", beginWrite: "BEGIN", lockRow: " FOR UPDATE",
        appendOnly: { table in
            [
                """
                CREATE OR REPLACE FUNCTION phisut_append_only() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$
                """,
                """
                CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON \(table)
                FOR EACH STATEMENT EXECUTE FUNCTION phisut_append_only()
                """,
            ]
        })
}
