/// A request waiting on the citizen's phone: a browser login or a CIBA request. It carries the
/// relying party's name and the claims asked for, and nothing personal beyond that.
public struct ApprovalRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "approvals", indexes: ["citizen_id"])

    public var id: String
    public var citizenID: String
    public var clientID: String
    public var clientName: String
    public var scopes: [String]
    public var claims: [String]
    public var bindingMessage: String?
    /// The two digits shown on the login page, when number matching applies.
    public var numberChallenge: String?
    public var wrongNumbers: Int
    public var status: ApprovalStatus
    /// "browser" or "ciba".
    public var origin: String
    /// The authorization request or CIBA request it serves.
    public var originID: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var decidedAt: Int64?
    public var deviceID: String?
    public var acr: String?
    public var amr: [String]

    public var indexValues: [String?] { [citizenID] }
    public var collectAfter: Int64? { expiresAt + 86_400 }

    public init(
        id: String, citizenID: String, clientID: String, clientName: String, scopes: [String], claims: [String], bindingMessage: String? = nil, numberChallenge: String? = nil, wrongNumbers: Int, status: ApprovalStatus, origin: String, originID: String, createdAt: Int64, expiresAt: Int64, decidedAt: Int64? = nil, deviceID: String? = nil, acr: String? = nil, amr: [String]
    ) {
        self.id = id
        self.citizenID = citizenID
        self.clientID = clientID
        self.clientName = clientName
        self.scopes = scopes
        self.claims = claims
        self.bindingMessage = bindingMessage
        self.numberChallenge = numberChallenge
        self.wrongNumbers = wrongNumbers
        self.status = status
        self.origin = origin
        self.originID = originID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.decidedAt = decidedAt
        self.deviceID = deviceID
        self.acr = acr
        self.amr = amr
    }
}
