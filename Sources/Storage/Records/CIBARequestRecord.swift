/// A CIBA authentication request (OpenID Connect CIBA Core 1.0 §7), from `/bc-authorize` to the
/// one token response it may yield. Stored under the SHA-256 of its `auth_req_id`: a leaked
/// table reveals no usable request id.
///
/// The push approval on the citizen's phone (`ApprovalRecord`, origin "ciba", `originID` = this
/// record's id) carries the decision; this record carries what the token endpoint needs: the
/// client, the polling state (CIBA §11 `slow_down`) and whether tokens were issued.
public struct CIBARequestRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "ciba_requests")

    /// Hex SHA-256 of the `auth_req_id`.
    public var id: String
    /// The random input from which the broker re-derives the `auth_req_id` (a keyed MAC) when it
    /// must send it back to the client in a ping (CIBA §10.2).
    public var seed: String
    public var clientID: String
    public var citizenID: String
    public var scopes: [String]
    /// The `acr_values` the broker understood, in the client's order; checked again at issuance.
    public var acrValues: [String]
    public var bindingMessage: String?
    /// "poll" or "ping" (CIBA §5).
    public var deliveryMode: String
    /// The bearer token the client gave for its notification endpoint (ping mode only).
    public var clientNotificationToken: String?
    /// The push approval that decides this request.
    public var approvalID: String
    public var createdAt: Int64
    public var expiresAt: Int64
    /// The minimum seconds between two polls; raised by `slow_down`.
    public var interval: Int64
    public var lastPolledAt: Int64?
    /// When the tokens were issued: a request yields tokens once.
    public var issuedAt: Int64?
    /// The grant the tokens belong to, once issued.
    public var grantID: String?

    /// Kept a while past expiry so that a late poll still learns `expired_token` rather than
    /// `invalid_grant`.
    public var collectAfter: Int64? { expiresAt + 3_600 }

    public init(
        id: String, seed: String, clientID: String, citizenID: String, scopes: [String], acrValues: [String],
        bindingMessage: String? = nil, deliveryMode: String, clientNotificationToken: String? = nil, approvalID: String,
        createdAt: Int64, expiresAt: Int64, interval: Int64, lastPolledAt: Int64? = nil, issuedAt: Int64? = nil,
        grantID: String? = nil
    ) {
        self.id = id
        self.seed = seed
        self.clientID = clientID
        self.citizenID = citizenID
        self.scopes = scopes
        self.acrValues = acrValues
        self.bindingMessage = bindingMessage
        self.deliveryMode = deliveryMode
        self.clientNotificationToken = clientNotificationToken
        self.approvalID = approvalID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.interval = interval
        self.lastPolledAt = lastPolledAt
        self.issuedAt = issuedAt
        self.grantID = grantID
    }
}
