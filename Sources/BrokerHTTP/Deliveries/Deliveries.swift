import Broker
import Foundation
import HTTPClient

/// The outbound delivery queue: a bounded queue, a few worker threads, retries with
/// exponential backoff (`DeliverySchedule`), every call through `HTTPClient` under the broker's
/// address policy. `enqueue` only takes a lock, so request threads and event loops never wait
/// on a partner's endpoint. Outcomes go to `onOutcome` (the broker's audit).
public final class Deliveries: DeliverySink, Sendable {
    /// How one delivery ended.
    public struct Outcome: Sendable {
        public let delivered: Bool
        public let attempts: Int
        public let detail: String
    }

    /// Running totals, for tests and metrics.
    public struct Counters: Sendable, Equatable {
        public var delivered = 0
        public var failed = 0
        /// Refused because the queue was full or shutting down.
        public var refused = 0
        public var attempts = 0
    }

    private let engine: Engine

    public init(configuration: DeliveriesConfiguration, log: @escaping @Sendable (String) -> Void,
                onOutcome: @escaping @Sendable (OutboundDelivery, Outcome) -> Void) {
        engine = Engine(configuration: configuration, log: log, onOutcome: onOutcome)
        for index in 0..<max(1, configuration.workers) {
            let thread = Thread { [engine] in engine.work() }
            thread.name = "phisut-deliveries-\(index)"
            thread.start()
        }
    }

    deinit { engine.shutdown() }

    public func enqueue(_ delivery: OutboundDelivery) -> Bool { engine.enqueue(delivery) }

    public var counters: Counters { engine.counters }

    /// Blocks until nothing is queued or in flight, or `timeout` seconds passed; true when idle.
    @discardableResult
    public func waitUntilIdle(timeout: Double) -> Bool { engine.waitUntilIdle(timeout: timeout) }

    /// Stops the workers after their current try; what is queued is dropped.
    public func shutdown() { engine.shutdown() }
}

extension Deliveries {
    /// The shared state of the workers. A separate object so that the threads keep only it
    /// alive, and dropping `Deliveries` stops them.
    // @unchecked: every mutable member is guarded by `condition` (an NSCondition, which is its
    // own lock); workers and enqueuers run on different threads.
    final class Engine: @unchecked Sendable {
        private let condition = NSCondition()
        private var schedule: DeliverySchedule<OutboundDelivery>
        private var inFlight = 0
        private var running = true
        private(set) var countersStorage = Counters()
        private let client: HTTPClient
        private let log: @Sendable (String) -> Void
        private let onOutcome: @Sendable (OutboundDelivery, Outcome) -> Void

        init(configuration: DeliveriesConfiguration, log: @escaping @Sendable (String) -> Void,
             onOutcome: @escaping @Sendable (OutboundDelivery, Outcome) -> Void) {
            schedule = DeliverySchedule(capacity: configuration.capacity, maxAttempts: configuration.maxAttempts,
                                        initialBackoff: configuration.initialBackoff)
            var http = HTTPClientConfiguration()
            http.connectTimeout = configuration.connectTimeout
            http.totalTimeout = configuration.totalTimeout
            http.maxResponseBytes = 64 * 1_024
            http.policy = configuration.policy
            client = HTTPClient(configuration: http)
            self.log = log
            self.onOutcome = onOutcome
        }

        var counters: Counters { condition.withLock { countersStorage } }

        static func now() -> Double { Date().timeIntervalSinceReferenceDate }

        func enqueue(_ delivery: OutboundDelivery) -> Bool {
            let accepted = condition.withLock {
                let accepted = running && schedule.add(delivery, now: Self.now())
                if accepted { condition.signal() } else { countersStorage.refused += 1 }
                return accepted
            }
            if !accepted { log("deliveries: refused \(delivery.purpose.rawValue) to \(delivery.url): queue full or stopped") }
            return accepted
        }

        func shutdown() {
            condition.withLock {
                running = false
                condition.broadcast()
            }
        }

        func waitUntilIdle(timeout: Double) -> Bool {
            let deadline = Date(timeIntervalSinceNow: timeout)
            condition.lock()
            defer { condition.unlock() }
            while !(schedule.isEmpty && inFlight == 0) {
                guard condition.wait(until: deadline) else { return schedule.isEmpty && inFlight == 0 }
            }
            return true
        }

        /// A worker's loop: take what is due, send it outside the lock, record the outcome.
        func work() {
            while let entry = take() {
                let result = attempt(entry.item)
                finish(entry, result)
            }
        }

        private func take() -> DeliverySchedule<OutboundDelivery>.Entry? {
            condition.lock()
            defer { condition.unlock() }
            while running {
                switch schedule.next(now: Self.now()) {
                case .send(let entry):
                    inFlight += 1
                    return entry
                case .wait(let until):
                    _ = condition.wait(until: Date(timeIntervalSinceReferenceDate: until))
                case .idle:
                    condition.wait()
                }
            }
            return nil
        }

        /// One try. `retry` says whether another try could help: not for a URL the policy
        /// refuses, nor for a 4xx other than 408 and 429.
        private func attempt(_ delivery: OutboundDelivery) -> (delivered: Bool, retry: Bool, detail: String) {
            do {
                let response = try client.send(OutboundRequest(method: "POST", url: delivery.url, headers: delivery.headers, body: delivery.body))
                if (200..<300).contains(response.status) { return (true, false, "HTTP \(response.status)") }
                let retry = response.status >= 500 || response.status == 408 || response.status == 429
                return (false, retry, "HTTP \(response.status)")
            } catch {
                switch error {
                case .invalidURL, .forbiddenAddress, .insecureScheme: return (false, false, error.description)
                default: return (false, true, error.description)
                }
            }
        }

        /// Retries or ends the delivery. A delivery counts as in flight until its outcome was
        /// reported, so `waitUntilIdle` also waits for the audit.
        private func finish(_ entry: DeliverySchedule<OutboundDelivery>.Entry, _ result: (delivered: Bool, retry: Bool, detail: String)) {
            let attempts = entry.attempts + 1
            let retried: Bool = condition.withLock {
                countersStorage.attempts += 1
                let retried = !result.delivered && result.retry && running && schedule.retry(entry, now: Self.now()) != nil
                if retried { inFlight -= 1 }
                condition.broadcast()
                return retried
            }
            guard !retried else { return }
            if !result.delivered { log("deliveries: \(entry.item.purpose.rawValue) to \(entry.item.url) failed after \(attempts) attempt(s): \(result.detail)") }
            onOutcome(entry.item, Outcome(delivered: result.delivered, attempts: attempts, detail: result.detail))
            condition.withLock {
                if result.delivered { countersStorage.delivered += 1 } else { countersStorage.failed += 1 }
                inFlight -= 1
                condition.broadcast()
            }
        }
    }
}
