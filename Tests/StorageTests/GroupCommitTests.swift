import Foundation
@testable import Storage
import Testing

/// Group commit in the SQLite backend: concurrent writers share one COMMIT, each keeps its own
/// all-or-nothing, and none is acknowledged before the shared COMMIT succeeded.
///
/// Most cases build one batch deterministically (`Batch.run`): a first writer holds the open
/// transaction until the others have queued behind it in a known order, and the window is long
/// enough that the time bound never splits the batch.
@Suite("SQLite group commit")
struct GroupCommitTests {
    struct Abort: Error {}

    @Test("writers queued behind a transaction share its COMMIT, and every write survives a reopen")
    func queuedWritersShareOneCommit() throws {
        let database = try Database()
        try database.withStore { store throws in
            let before = store.groupCommitStatistics
            let results = Batch.run(
                on: store, first: { try $0.addPartner(Fixture.partner("p0")) },
                then: (1..<8).map { n in { try $0.addPartner(Fixture.partner("p\(n)")) } })
            #expect(results.allSatisfy { (try? $0.get()) != nil })
            let after = store.groupCommitStatistics
            #expect(after.batches - before.batches == 1)
            #expect(after.bodies - before.bodies == 8)
        }
        #expect(try database.withStore { try $0.partners().count } == 8)
    }

    @Test("the batch bound ends a shared transaction; the rest start the next one")
    func limitSplitsBatches() throws {
        let database = try Database(limit: 3)
        try database.withStore { store throws in
            let before = store.groupCommitStatistics
            let results = Batch.run(
                on: store, first: { try $0.addPartner(Fixture.partner("p0")) },
                then: (1..<6).map { n in { try $0.addPartner(Fixture.partner("p\(n)")) } })
            #expect(results.allSatisfy { (try? $0.get()) != nil })
            #expect(store.groupCommitStatistics.batches - before.batches == 2)
        }
        #expect(try database.withStore { try $0.partners().count } == 6)
    }

    @Test("a body that throws inside a batch undoes only its own writes")
    func throwingBodyUndoesOnlyItsOwn() throws {
        let database = try Database()
        try database.withStore { store throws in
            let before = store.groupCommitStatistics
            let results = Batch.run(
                on: store, first: { try $0.addPartner(Fixture.partner("p0")) },
                then: (1..<6).map { n in
                    { store in
                        try store.transaction { tx in
                            try tx.addPartner(Fixture.partner("p\(n)"))
                            try tx.appendAudit(Fixture.event("partner.created.\(n)"))
                            if n == 3 { throw Abort() }
                        }
                    }
                })
            #expect(throws: Abort.self) { try results[3].get() }
            #expect(results.enumerated().allSatisfy { $0.offset == 3 || (try? $0.element.get()) != nil })
            #expect(store.groupCommitStatistics.batches - before.batches == 1)
        }
        try database.withStore { store throws in
            #expect(try store.partners().map(\.id) == ["p0", "p1", "p2", "p4", "p5"])
            let actions = try store.audit(citizenID: nil, limit: 10, beforeSequence: nil).map(\.action)
            #expect(Set(actions) == ["partner.created.1", "partner.created.2", "partner.created.4", "partner.created.5"])
        }
    }

    @Test("a COMMIT that fails (a deferred foreign-key violation) fails every participant of the batch")
    func failedCommitFailsEveryone() throws {
        let database = try Database()
        try database.withStore { store throws in
            let before = store.groupCommitStatistics
            let results = Batch.run(
                on: store, first: { try $0.addPartner(Fixture.partner("p0")) },
                then: [
                    { try $0.addPartner(Fixture.partner("p1")) },
                    { try $0.create(OrphanRecord(id: "orphan", officerID: "no-such-officer")) },
                    { try $0.appendAudit(Fixture.event("partner.created")) },
                ])
            for result in results {
                #expect {
                    try result.get()
                } throws: { error in
                    guard case StorageError.backend(let message) = error else { return false }
                    return message.contains("FOREIGN KEY")
                }
            }
            #expect(store.groupCommitStatistics.batches - before.batches == 1)
            // The connection is usable again: the next writer starts a clean transaction.
            try store.addPartner(Fixture.partner("later"))
        }
        try database.withStore { store throws in
            #expect(try store.partners().map(\.id) == ["later"])
            #expect(throws: StorageError.notFound) { try store.get(OrphanRecord.self, id: "orphan") }
            #expect(try store.audit(citizenID: nil, limit: 10, beforeSequence: nil).isEmpty)
        }
    }

    @Test("redeeming one enrollment code from every writer of one batch: exactly one wins")
    func consumeOnceInOneBatch() throws {
        let database = try Database()
        try database.withStore { store throws in
            try store.addEnrollment(Fixture.enrollment("e1", code: "C0DE"))
            let redeem: @Sendable (Int) -> @Sendable (any Store) throws -> Void = { n in
                { store in
                    try store.transaction { tx in
                        let enrollment = try tx.enrollment(codeHash: "C0DE")
                        try tx.update(EnrollmentRecord.self, id: enrollment.id) { e in
                            guard e.status == .pending else { throw StorageError.notFound }
                            e.status = .used
                            e.deviceID = "device-\(n)"
                        }
                    }
                }
            }
            let before = store.groupCommitStatistics
            let results = Batch.run(on: store, first: redeem(0), then: (1..<8).map(redeem))
            let winners = results.indices.filter { (try? results[$0].get()) != nil }
            #expect(winners == [0])
            #expect(store.groupCommitStatistics.batches - before.batches == 1)
        }
        try database.withStore { store throws in
            let enrollment = try store.enrollment(id: "e1")
            #expect(enrollment.status == .used)
            #expect(enrollment.deviceID == "device-0")
        }
    }

    @Test("8 threads x 40 transactions and 40 single writes: all acknowledged, all on disk after a reopen")
    func manyThreadsAllDurable() throws {
        let database = try Database(window: .milliseconds(5))
        let threads = 8
        let rounds = 40
        let failures = Shared(0)
        let bodies = try database.withStore { store throws in
            let before = store.groupCommitStatistics
            onThreads(threads) { thread in
                for round in 0..<rounds {
                    do {
                        try store.transaction { tx in
                            try tx.addPartner(Fixture.partner("p\(thread)-\(round)"))
                            try tx.appendAudit(Fixture.event("partner.created"))
                        }
                        try store.appendAudit(Fixture.event("single"))
                    } catch { failures.withLock { $0 += 1 } }
                }
            }
            let after = store.groupCommitStatistics
            #expect(after.batches - before.batches <= after.bodies - before.bodies)
            return after.bodies - before.bodies
        }
        #expect(failures.current == 0)
        #expect(bodies == 2 * threads * rounds)
        try database.withStore { store throws in
            #expect(try store.executeRaw("SELECT COUNT(*) FROM partners") == [[.integer(Int64(threads * rounds))]])
            #expect(try store.executeRaw("SELECT COUNT(*) FROM audit_events WHERE action = 'single'") == [[.integer(Int64(threads * rounds))]])
            #expect(try store.executeRaw("SELECT COUNT(*) FROM audit_events") == [[.integer(Int64(2 * threads * rounds))]])
        }
    }

    @Test("inside a batch the outer store is still refused, and the body's store after it ended")
    func misuseInsideBatch() throws {
        let database = try Database()
        try database.withStore { store throws in
            let escaped = Shared<(any Store)?>(nil)
            let results = Batch.run(
                on: store, first: { try $0.addPartner(Fixture.partner("p0")) },
                then: [
                    { outer in try outer.transaction { _ in try outer.addPartner(Fixture.partner("outer")) } },
                    { outer in
                        try outer.transaction { tx in
                            escaped.withLock { $0 = tx }
                            try tx.addPartner(Fixture.partner("p2"))
                        }
                    },
                ])
            #expect(throws: StorageError.self) { try results[1].get() }
            #expect((try? results[2].get()) != nil)
            let late = try #require(escaped.current)
            #expect(throws: StorageError.self) { try late.addPartner(Fixture.partner("late")) }
            #expect(try store.partners().map(\.id) == ["p0", "p2"])
        }
    }
}

/// A database file in a temporary directory, opened with group-commit options and the test schema.
private struct Database {
    let directory: TemporaryDirectory
    let options: SQLiteOptions

    /// The default window is long so that the time bound never splits a batch a test builds.
    init(limit: Int = 32, window: Duration = .seconds(600)) throws {
        directory = try TemporaryDirectory()
        options = SQLiteOptions(groupCommitLimit: limit, groupCommitWindow: window)
    }

    /// Opens the database, runs `body`, and closes it again, so the next call reads the file afresh.
    func withStore<T>(_ body: (SQLiteStore) throws -> T) throws -> T {
        let store = try SQLiteStore(path: directory.path + "/phisut.sqlite", options: options, migrations: Migration.all + [OrphanRecord.migration])
        return try body(store)
    }
}

/// A record whose officer must exist by COMMIT (a deferred foreign key), to make a COMMIT fail.
private struct OrphanRecord: StoredRecord, Equatable {
    static let kind = RecordKind(table: "test_orphans", indexes: ["officer_id"])
    static let migration = Migration(version: 10_000, name: "test orphans", recordKinds: [kind]) { _ in
        [
            """
            CREATE TABLE test_orphans (id TEXT PRIMARY KEY, data TEXT NOT NULL, collect_after INTEGER,
            officer_id TEXT REFERENCES officers (id) DEFERRABLE INITIALLY DEFERRED)
            """
        ]
    }

    let id: String
    let officerID: String
    var indexValues: [String?] { [officerID] }
}

/// Builds one batch in a known order: `first` runs in a transaction that stays open until each of
/// `then` has queued behind it (one thread each, queued one after another), then all finish.
private enum Batch {
    static func run(
        on store: SQLiteStore, first: @escaping @Sendable (any Store) throws -> Void,
        then writers: [@Sendable (any Store) throws -> Void]
    ) -> [Result<Void, any Error>] {
        let results = Shared<[Result<Void, any Error>]>(Array(repeating: .failure(Unfinished()), count: 1 + writers.count))
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        start(done) {
            let result = Result { try store.transaction { tx in
                holding.signal()
                release.wait()
                try first(tx)
            } }
            results.withLock { $0[0] = result }
        }
        holding.wait()
        let waitingBefore = store.groupCommitStatistics.waiting
        for (offset, writer) in writers.enumerated() {
            start(done) {
                let result = Result { try writer(store) }
                results.withLock { $0[offset + 1] = result }
            }
            // Queue them one at a time so the batch runs them in this order. Polling is a wait for
            // a state, not a timing assertion; the deadline only stops a broken build from hanging.
            let deadline = ContinuousClock.now + .seconds(60)
            while store.groupCommitStatistics.waiting < waitingBefore + offset + 1, ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.001)
            }
        }
        release.signal()
        done.wait()
        return results.current
    }

    struct Unfinished: Error {}

    private static func start(_ group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        Thread {
            body()
            group.leave()
        }.start()
    }
}
