/// The delivery queue as a pure state machine on the caller's clock: which delivery is due,
/// when the next one will be, and whether a failed one is retried. No threads, no I/O — the
/// workers of `Deliveries` carry out what it says.
struct DeliverySchedule<Item: Sendable>: Sendable {
    struct Entry: Sendable {
        let item: Item
        /// Attempts made so far.
        var attempts: Int
        /// When it may next be tried (seconds, on the caller's clock).
        var due: Double
        /// Arrival order, so that equal due times go first come, first served.
        let sequence: Int
    }

    /// What a worker should do next.
    enum Next: Sendable {
        case send(Entry)
        /// Nothing is due before this time.
        case wait(until: Double)
        case idle
    }

    /// Deliveries waiting (due or backing off) at most; a full queue refuses new ones.
    let capacity: Int
    /// Attempts per delivery, the first included.
    let maxAttempts: Int
    /// The wait before the first retry; each later retry waits twice as long as the one before.
    let initialBackoff: Double
    private(set) var entries: [Entry] = []
    private var nextSequence = 0

    init(capacity: Int, maxAttempts: Int, initialBackoff: Double) {
        self.capacity = max(1, capacity)
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = max(0, initialBackoff)
    }

    /// Queues a new delivery, due now; false when the queue is full (the caller counts and logs
    /// the refusal: newest are refused rather than oldest dropped, so a flood cannot push out
    /// pings already waiting).
    mutating func add(_ item: Item, now: Double) -> Bool {
        guard entries.count < capacity else { return false }
        entries.append(Entry(item: item, attempts: 0, due: now, sequence: nextSequence))
        nextSequence += 1
        return true
    }

    /// Takes the delivery most overdue, or says how long to wait. The queue is small (bounded
    /// by `capacity`), so a scan is enough.
    mutating func next(now: Double) -> Next {
        guard let index = entries.indices.min(by: { (entries[$0].due, entries[$0].sequence) < (entries[$1].due, entries[$1].sequence) })
        else { return .idle }
        let entry = entries[index]
        guard entry.due <= now else { return .wait(until: entry.due) }
        entries.remove(at: index)
        return .send(entry)
    }

    /// A try of `entry` failed in a way worth retrying. Returns the time of the retry, or nil
    /// when `maxAttempts` are spent. Retries go back in even when the queue is full: they were
    /// admitted once, and workers bound how many are in flight.
    mutating func retry(_ entry: Entry, now: Double) -> Double? {
        let attempts = entry.attempts + 1
        guard attempts < maxAttempts else { return nil }
        var retried = entry
        retried.attempts = attempts
        retried.due = now + backoff(afterAttempt: attempts)
        entries.append(retried)
        return retried.due
    }

    /// 1 s, 2 s, 4 s, … with the default initial backoff.
    func backoff(afterAttempt attempts: Int) -> Double {
        initialBackoff * Double(1 << min(max(attempts - 1, 0), 20))
    }

    var isEmpty: Bool { entries.isEmpty }
}
