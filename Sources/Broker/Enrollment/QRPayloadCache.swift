import Foundation

/// The clear enrollment code lives only in the officer's response and here, in memory, until
/// it expires — so the officer can draw its QR code again while the database holds only the
/// hash. After a restart the officer simply starts a new enrollment.
final class QRPayloadCache: @unchecked Sendable {
    private let lock = NSLock()   // guards `entries`
    private var entries: [String: (payload: String, expiresAt: Int64)] = [:]

    func put(_ enrollmentID: String, payload: String, expiresAt: Int64, now: Int64) {
        lock.withLock {
            entries = entries.filter { $0.value.expiresAt > now }
            entries[enrollmentID] = (payload, expiresAt)
        }
    }

    func payload(for enrollmentID: String, now: Int64) -> String? {
        lock.withLock {
            guard let entry = entries[enrollmentID], entry.expiresAt > now else { return nil }
            return entry.payload
        }
    }

    func remove(_ enrollmentID: String) { _ = lock.withLock { entries.removeValue(forKey: enrollmentID) } }
}
