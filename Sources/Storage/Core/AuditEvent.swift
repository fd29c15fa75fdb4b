/// One entry of the append-only audit log. The store assigns `sequence`; rows can never be
/// updated or deleted (the backend refuses it with triggers).
public struct AuditEvent: Codable, Sendable, Equatable {
    /// Assigned by `appendAudit`; strictly increasing. Ignored on append.
    public var sequence: Int64
    /// Seconds since epoch.
    public var time: Int64
    /// "officer", "device", "client", "citizen", "operator" or "system".
    public var actorType: String
    public var actorID: String
    public var office: String?
    /// Dotted event name, e.g. "enrollment.started".
    public var action: String
    public var citizenID: String?
    public var clientID: String?
    /// "success" or "failure".
    public var outcome: String
    /// Short text or JSON.
    public var detail: String

    public init(
        sequence: Int64 = 0, time: Int64, actorType: String, actorID: String, office: String? = nil,
        action: String, citizenID: String? = nil, clientID: String? = nil, outcome: String, detail: String = ""
    ) {
        self.sequence = sequence
        self.time = time
        self.actorType = actorType
        self.actorID = actorID
        self.office = office
        self.action = action
        self.citizenID = citizenID
        self.clientID = clientID
        self.outcome = outcome
        self.detail = detail
    }
}
