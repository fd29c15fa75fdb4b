import Storage

/// Who did something, as the append-only audit log records it.
public struct Actor: Sendable, Equatable {
    public let type: String
    public let id: String
    public let office: String?

    public init(type: String, id: String, office: String? = nil) {
        self.type = type
        self.id = id
        self.office = office
    }

    public static func officer(_ officer: OfficerRecord) -> Actor { Actor(type: "officer", id: officer.id, office: officer.officeCode) }
    public static func device(_ id: String) -> Actor { Actor(type: "device", id: id) }
    public static func operatorCLI() -> Actor { Actor(type: "operator", id: "cli") }
    public static let anonymous = Actor(type: "anonymous", id: "-")
}

/// Writes security events to the store's append-only audit table.
///
/// An audit write that fails must not pass silently, but it also must not turn a refusal the
/// caller earned into a 500: failures of the log itself are reported to the log sink.
public struct Auditor: Sendable {
    let store: any Store
    let clock: any Clock
    let log: @Sendable (String) -> Void

    public func record(_ action: String, by actor: Actor, citizen: String? = nil, client: String? = nil,
                       success: Bool = true, detail: String = "") {
        do {
            _ = try store.appendAudit(event(action, by: actor, citizen: citizen, client: client, success: success, detail: detail))
        } catch {
            log("audit write failed for \(action): \(error)")
        }
    }

    /// Records the event inside `transaction`, so it commits (and is fsynced) with the change it
    /// describes, or not at all.
    public func record(_ action: String, by actor: Actor, citizen: String? = nil, client: String? = nil,
                       success: Bool = true, detail: String = "", in transaction: any Store) throws {
        _ = try transaction.appendAudit(event(action, by: actor, citizen: citizen, client: client, success: success, detail: detail))
    }

    private func event(_ action: String, by actor: Actor, citizen: String?, client: String?, success: Bool, detail: String) -> AuditEvent {
        AuditEvent(
            sequence: 0, time: clock.now, actorType: actor.type, actorID: actor.id, office: actor.office,
            action: action, citizenID: citizen, clientID: client, outcome: success ? "success" : "failure",
            detail: detail)
    }
}
