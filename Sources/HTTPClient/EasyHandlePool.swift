import Foundation

/// Idle easy handles kept for reuse: each keeps its live connections, TLS session cache and DNS
/// cache, so sequential requests to one host share a connection.
///
/// `@unchecked Sendable`: the array is only touched under `lock`, and a handle taken out belongs
/// to the taking thread until it is given back.
final class EasyHandlePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [CurlEasy] = []
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The most recently returned handle (its connections are the warmest), or a new one.
    func take() -> CurlEasy? {
        if let handle = lock.withLock({ idle.popLast() }) { return handle }
        return CurlEasy()
    }

    func give(_ handle: CurlEasy) {
        lock.withLock {
            if idle.count < capacity { idle.append(handle) }
        }
        // A surplus handle is released here, outside the lock, closing its connections.
    }
}
