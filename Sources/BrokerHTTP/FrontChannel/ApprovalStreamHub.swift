import Broker
import Foundation
import HTTP
import JSON
import Storage

/// The open `GET /device/v1/requests` event streams, by citizen: each new pending approval is
/// sent at once, as an event named `request`, to every stream of its citizen (CONTRACT.md).
// @unchecked: `streams` is guarded by `lock`; streams open and close on worker threads while
// approvals are created on others.
final class ApprovalStreamHub: ApprovalNotifier, @unchecked Sendable {
    private let lock = NSLock()
    private var streams: [String: [ObjectIdentifier: EventStream]] = [:]

    /// Registers a device's stream; it leaves the hub when it closes, from either side.
    func add(_ stream: EventStream, citizenID: String) {
        let key = ObjectIdentifier(stream)
        lock.withLock { streams[citizenID, default: [:]][key] = stream }
        stream.onClose { [weak self] in self?.remove(key, citizenID: citizenID) }
    }

    private func remove(_ key: ObjectIdentifier, citizenID: String) {
        lock.withLock {
            streams[citizenID]?[key] = nil
            if streams[citizenID]?.isEmpty == true { streams[citizenID] = nil }
        }
    }

    /// Open streams of a citizen (tests and metrics).
    func streamCount(citizenID: String) -> Int { lock.withLock { streams[citizenID]?.count ?? 0 } }

    func approvalCreated(_ approval: ApprovalRecord) {
        let targets = lock.withLock { streams[approval.citizenID].map { Array($0.values) } ?? [] }
        guard !targets.isEmpty else { return }
        let data = DeviceRequestJSON.render(approval).serializedString()
        for stream in targets { stream.send(event: "request", data: data, id: approval.id) }
    }
}

/// A pending approval as a device sees it (CONTRACT.md): never the number itself, only
/// whether the citizen must type one.
enum DeviceRequestJSON {
    static func render(_ approval: ApprovalRecord) -> JSONValue {
        [
            "request_id": .string(approval.id),
            "client_name": .string(approval.clientName),
            "scopes": .array(approval.scopes.map { .string($0) }),
            "claims": .array(approval.claims.map { .string($0) }),
            "binding_message": approval.bindingMessage.map { .string($0) } ?? .null,
            "number_challenge": .bool(approval.numberChallenge != nil),
            "expires_at": .int(approval.expiresAt),
        ]
    }
}
