import Foundation

/// Group commit on the one write connection: writers that queue while a transaction runs or
/// commits share the next COMMIT (and its fsync) instead of paying one each.
///
/// The writer that finds the connection idle runs `BEGIN IMMEDIATE` and its body in a SAVEPOINT.
/// When its body ends and the next queued writer is a write too, it hands the open transaction on
/// (the baton); that writer runs its body on its own thread in its own SAVEPOINT, and so on up to
/// `limit` bodies or until `window` after BEGIN. The last one COMMITs and tells every participant
/// the outcome; each returns only then, so an acknowledged write is as durable as the connection's
/// `synchronous` setting makes a COMMIT, and a failed COMMIT fails all of them. A body that throws
/// rolls back to its savepoint, undoing only its own writes, and returns without waiting. Later
/// bodies see earlier participants' uncommitted writes: the order a serial run would have had.
/// One new rule for callers: a transaction body must not wait for another thread's write to
/// *return* (that writer may be waiting for this batch's COMMIT); waiting for it was already a
/// deadlock before group commit whenever that write queued behind this transaction.
///
/// `@unchecked Sendable`: all mutable state is guarded by `lock`; the connection is used only by
/// the thread of the ticket in `holder`.
final class GroupCommitQueue: @unchecked Sendable {
    private let connection: any SQLConnection
    private let limit: Int
    private let window: Duration
    private let lock = NSLock()
    /// The ticket whose thread may use the connection now; nil when it is idle.
    private var holder: Ticket?
    private var queue: [Ticket] = []
    private var batch = Batch()
    private var statistics = GroupCommitStatistics()

    /// `limit`: most bodies in one transaction (1 turns group commit off). `window`: after this long
    /// since BEGIN the transaction is committed rather than handed on, bounding the first
    /// participant's wait.
    init(connection: any SQLConnection, limit: Int, window: Duration) {
        self.connection = connection
        self.limit = max(1, limit)
        self.window = window
    }

    /// A snapshot of the counters, for tests and diagnostics.
    var currentStatistics: GroupCommitStatistics {
        lock.withLock {
            var snapshot = statistics
            snapshot.waiting = queue.count
            return snapshot
        }
    }

    // MARK: - Writes

    /// Runs `body` inside a write transaction, possibly shared with other threads' bodies, in its
    /// own savepoint; returns its value once the shared COMMIT succeeded. Rethrows what `body`
    /// throws (its writes undone, the others' kept). Throws `.backend` if the calling thread is
    /// itself running a body here (the outer store used inside its own transaction).
    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        let ticket = try waitForTurn(exclusive: false)
        if ticket.startsBatch {
            do { try connection.run(connection.dialect.beginWrite) } catch {
                lock.withLock { passConnection() }
                throw error
            }
            lock.withLock { batch = Batch(deadline: .now + window) }
        }

        var rollbackFailed = false
        let result: Result<T, any Error>
        do {
            try connection.run("SAVEPOINT phisut_write")
            do {
                let value = try body(connection)
                try connection.run("RELEASE SAVEPOINT phisut_write")
                result = .success(value)
            } catch {
                do {
                    try connection.run("ROLLBACK TO SAVEPOINT phisut_write")
                    try connection.run("RELEASE SAVEPOINT phisut_write")
                } catch { rollbackFailed = true }
                throw error
            }
        } catch { result = .failure(error) }

        lock.withLock { statistics.bodies += 1 }
        // An I/O error, a full disk or a failed rollback may have ended (or spoiled) the whole
        // transaction, taking earlier participants' writes with it: they must not be acknowledged.
        guard connection.isInTransaction, !rollbackFailed else {
            let lost = StorageError.backend("write transaction aborted by the database; its writes were rolled back")
            _ = try? connection.run("ROLLBACK")
            finishBatch(by: ticket, outcome: .failure(lost))
            _ = try result.get()
            throw lost
        }

        let handedOn: Bool = lock.withLock {
            batch.bodies += 1
            if case .success = result { batch.participants.append(ticket) }
            guard batch.bodies < limit, ContinuousClock.now < batch.deadline, let next = queue.first, !next.exclusive else {
                return false
            }
            queue.removeFirst()
            give(to: next, startsBatch: false)
            return true
        }
        guard handedOn else {
            let outcome = commitBatch(by: ticket)
            let value = try result.get()
            try outcome.get()
            return value
        }
        let value = try result.get()  // a failed body's writes are undone: it need not wait
        ticket.wake.wait()
        try lock.withLock { ticket.outcome ?? .failure(StorageError.backend("group commit lost its outcome")) }.get()
        return value
    }

    /// The last participant ends the transaction: COMMIT if any body succeeded, else ROLLBACK.
    private func commitBatch(by ticket: Ticket) -> Result<Void, any Error> {
        let anyWrites = lock.withLock { !batch.participants.isEmpty }
        let outcome: Result<Void, any Error>
        if anyWrites {
            do {
                try connection.run("COMMIT")
                outcome = .success(())
            } catch {
                if connection.isInTransaction { _ = try? connection.run("ROLLBACK") }
                outcome = .failure(error)
            }
        } else {
            _ = try? connection.run("ROLLBACK")
            outcome = .success(())
        }
        finishBatch(by: ticket, outcome: outcome)
        return outcome
    }

    /// Tells every other participant the outcome and gives the connection to the next writer.
    private func finishBatch(by ticket: Ticket, outcome: Result<Void, any Error>) {
        lock.withLock {
            for participant in batch.participants where participant !== ticket {
                participant.outcome = outcome
                participant.wake.signal()
            }
            batch = Batch()
            passConnection()
        }
    }

    // MARK: - Exclusive use

    /// Runs `body` with the connection alone, outside any transaction, after the current batch.
    /// On the thread that is running a write body: runs it there if `reentrant` (a read through
    /// the outer store inside a transaction, in-memory mode), else throws `.backend`.
    func exclusive<T>(reentrant: Bool, _ body: (any SQLConnection) throws -> T) throws -> T {
        if reentrant, lock.withLock({ holder?.isCurrentThread ?? false }) { return try body(connection) }
        _ = try waitForTurn(exclusive: true)
        defer { lock.withLock { passConnection() } }
        return try body(connection)
    }

    // MARK: - Turns

    private func waitForTurn(exclusive: Bool) throws -> Ticket {
        let ticket = Ticket(exclusive: exclusive)
        try lock.withLock {
            if let holder, holder.isCurrentThread {
                throw StorageError.backend("store used inside its own transaction; use the store passed to the body")
            }
            if holder == nil { give(to: ticket, startsBatch: !exclusive) } else { queue.append(ticket) }
        }
        // Each ticket is signalled once for its turn (even when it got the idle connection at once,
        // so the count stays right) and, if it ends up waiting for a COMMIT, once for the outcome.
        ticket.wake.wait()
        return ticket
    }

    /// Must hold `lock`.
    private func give(to ticket: Ticket, startsBatch: Bool) {
        holder = ticket
        ticket.startsBatch = startsBatch
        if startsBatch { statistics.batches += 1 }
        ticket.wake.signal()
    }

    /// Must hold `lock`. The next queued ticket gets the idle connection: a write starts a new batch.
    private func passConnection() {
        guard !queue.isEmpty else {
            holder = nil
            return
        }
        let next = queue.removeFirst()
        give(to: next, startsBatch: !next.exclusive)
    }

    /// One waiting or running writer. `@unchecked Sendable`: `startsBatch` and `outcome` are
    /// written under the queue's lock before `wake` is signalled, and read by the ticket's thread
    /// after it woke.
    private final class Ticket: @unchecked Sendable {
        let exclusive: Bool
        let thread = pthread_self()
        let wake = DispatchSemaphore(value: 0)
        var startsBatch = false
        var outcome: Result<Void, any Error>?

        init(exclusive: Bool) { self.exclusive = exclusive }

        var isCurrentThread: Bool { pthread_equal(thread, pthread_self()) != 0 }
    }

    /// The open transaction: its successful bodies (waiting for the COMMIT) and its bounds.
    private struct Batch {
        var participants: [Ticket] = []
        var bodies = 0
        var deadline = ContinuousClock.now
    }
}

/// Counters of a `GroupCommitQueue`; `batches / bodies` is about the COMMITs (fsyncs) paid per write.
package struct GroupCommitStatistics: Sendable, Equatable {
    /// Writers (and exclusive users) queued for the connection right now.
    package var waiting = 0
    /// Write transactions begun, each ended by one COMMIT (or ROLLBACK if no body succeeded).
    package var batches = 0
    /// Write bodies run, successful or not.
    package var bodies = 0
}
