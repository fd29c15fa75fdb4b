import Storage
import Testing

/// Opens the one database a conformance case works on; calling it again reopens the same
/// database (to test persistence and migrations).
struct StoreOpener: Sendable {
    let open: @Sendable (_ migrations: [Migration]) throws -> any Store

    func callAsFunction() throws -> any Store { try open(Migration.all) }
    func callAsFunction(_ migrations: [Migration]) throws -> any Store { try open(migrations) }
}

/// One backend-independent check. Every backend runs `StoreConformance.all`.
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// Needs to reopen the database, so cannot run on a private in-memory one.
    var reopens = false
    let run: @Sendable (StoreOpener) throws -> Void

    var testDescription: String { name }
}

/// The conformance suite: every case every backend must pass.
enum StoreConformance {
    static let all: [ConformanceCase] =
        RecordCoreConformance.cases + TransactionConformance.cases + ConcurrencyConformance.cases
        + AggregateConformance.cases + GarbageCollectionConformance.cases + AuditConformance.cases
        + MigrationConformance.cases
        + RegisteredClientConformance.cases   // dynamic client registration
}
