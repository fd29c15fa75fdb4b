import Foundation
import Glibc

/// A fixed set of threads running blocking handler work in FIFO order.
///
/// Built to keep thread wake-ups (futex calls and context switches, the largest cost of the
/// hand-off on a small machine) rare:
/// - each idle worker sleeps on its own semaphore and is woken by a single `sem_post` issued
///   after the queue lock is released, so it never wakes only to block on that lock;
/// - at most one wake-up is in flight: a burst of submissions wakes one worker, and a worker
///   that takes a job while more are queued wakes the next idle one (a chain), so parallelism
///   still grows to `min(queued, idle)` without the submitting event loop paying for it;
/// - idle workers are woken last-in first-out (the one whose cache is warmest).
///
/// Invariant (under `mutex`): if jobs are queued and a worker is idle, a wake-up is in flight.
/// So a queued job never waits while a worker is idle, even if every busy worker blocks.
// @unchecked: every mutable field is guarded by `mutex`; the semaphores are thread-safe.
final class WorkerPool: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var queue = JobQueue()
    /// Indexes into `semaphores` of the workers asleep (or about to sleep) on their semaphore.
    private var idle: [Int] = []
    private var wakeInFlight = false
    private var stopping = false
    private let semaphores: [UnsafeMutablePointer<sem_t>]

    init(threads: Int) {
        let count = max(1, threads)
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        semaphores = (0..<count).map { _ in
            let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
            semaphore.initialize(to: sem_t())
            sem_init(semaphore, 0, 0)
            return semaphore
        }
        idle.reserveCapacity(count)
        for index in 0..<count {
            let thread = Thread { [self] in run(index) }
            thread.name = "http-worker-\(index)"
            thread.start()
        }
    }

    deinit {
        // Threads hold `self` strongly while they run, so deinit means they have all exited.
        for semaphore in semaphores {
            sem_destroy(semaphore)
            semaphore.deallocate()
        }
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        queue.push(job)
        let wake = claimWakeUp()
        pthread_mutex_unlock(mutex)
        if let wake { sem_post(semaphores[wake]) }
    }

    /// Lets the threads exit once the queue is empty; does not wait for running jobs.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        let sleepers = idle
        idle.removeAll()
        pthread_mutex_unlock(mutex)
        for index in sleepers { sem_post(semaphores[index]) }
    }

    /// Jobs waiting for a worker (for tests and diagnostics).
    var queuedCount: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return queue.count
    }

    /// Under `mutex`: picks the idle worker to wake if the invariant needs one.
    private func claimWakeUp() -> Int? {
        guard !wakeInFlight, !queue.isEmpty, let index = idle.popLast() else { return nil }
        wakeInFlight = true
        return index
    }

    private func run(_ index: Int) {
        var woken = false
        while true {
            pthread_mutex_lock(mutex)
            if woken {
                woken = false
                if !stopping { wakeInFlight = false }
            }
            if let job = queue.pop() {
                let wake = claimWakeUp()
                pthread_mutex_unlock(mutex)
                if let wake { sem_post(semaphores[wake]) }
                job()
                continue
            }
            if stopping {
                pthread_mutex_unlock(mutex)
                return
            }
            idle.append(index)
            pthread_mutex_unlock(mutex)
            while sem_wait(semaphores[index]) != 0 && errno == EINTR {}
            woken = true
        }
    }
}

/// A FIFO ring buffer of jobs: push and pop are O(1) with no shifting and, once grown, no
/// allocation.
struct JobQueue {
    private var storage: [(@Sendable () -> Void)?] = Array(repeating: nil, count: 64)
    private var head = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func push(_ job: @escaping @Sendable () -> Void) {
        if count == storage.count { grow() }
        storage[(head + count) & (storage.count - 1)] = job
        count += 1
    }

    mutating func pop() -> (@Sendable () -> Void)? {
        guard count > 0 else { return nil }
        let job = storage[head]
        storage[head] = nil
        head = (head + 1) & (storage.count - 1)
        count -= 1
        return job
    }

    /// Doubles the capacity (kept a power of two), unrolling the ring so `head` is 0.
    private mutating func grow() {
        var larger: [(@Sendable () -> Void)?] = []
        larger.reserveCapacity(storage.count * 2)
        for offset in 0..<count { larger.append(storage[(head + offset) & (storage.count - 1)]) }
        larger.append(contentsOf: repeatElement(nil, count: storage.count * 2 - count))
        storage = larger
        head = 0
    }
}
