import Foundation

/// Counts attempts per key in fixed windows, in memory: the rate limit on typing citizen IDs
/// into the login page, which would otherwise let anyone test IDs at full speed for whether
/// they are enrolled (an enrolled one gets the waiting page).
///
/// A class with a lock because every request thread shares the counts (`@unchecked Sendable`:
/// all state is behind `lock`). Counts are per process; they are a brake, not an audit record.
final class AttemptLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var windows: [String: (start: Int64, count: Int)] = [:]
    private let window: Int64
    private let capacity: Int

    /// - Parameters: `window` in seconds; `capacity` keys kept before stale ones are dropped
    ///   (when even the live ones exceed it, all are dropped: memory is bounded, the brake
    ///   loosens rather than the broker falling over).
    init(window: Int64, capacity: Int = 100_000) {
        self.window = max(1, window)
        self.capacity = capacity
    }

    /// Counts one attempt for `key` at `now`; false (and not counted) once `limit` attempts
    /// were counted in the current window.
    func allow(_ key: String, limit: Int, now: Int64) -> Bool {
        lock.withLock {
            if windows.count >= capacity {
                windows = windows.filter { now - $0.value.start < window }
                if windows.count >= capacity { windows.removeAll(keepingCapacity: true) }
            }
            var entry = windows[key] ?? (now, 0)
            if now - entry.start >= window { entry = (now, 0) }
            guard entry.count < limit else { return false }
            entry.count += 1
            windows[key] = entry
            return true
        }
    }
}
