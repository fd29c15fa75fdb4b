/// One outbound POST the broker wants made on its behalf: a CIBA ping to a client (CIBA Core
/// §10.2) or a signal to a device's push gateway. The domain decides what to send; the HTTP
/// layer's delivery queue sends it, with retries, off the request threads.
public struct OutboundDelivery: Sendable {
    public enum Purpose: String, Sendable {
        /// `{"auth_req_id": …}` to the client's notification endpoint.
        case cibaPing = "ciba.ping"
        /// `{"type": "approval_request"}` to a device's push URL: no personal data, only a signal
        /// to fetch `GET /device/v1/requests`.
        case devicePush = "device.push"
    }

    public let purpose: Purpose
    public let url: String
    public let headers: [(String, String)]
    public let body: [UInt8]
    /// For the audit log: whom the delivery concerns.
    public let clientID: String?
    public let citizenID: String?
    /// The approval it is about, or the device it goes to.
    public let reference: String

    public init(purpose: Purpose, url: String, headers: [(String, String)], body: [UInt8], clientID: String?,
                citizenID: String?, reference: String) {
        self.purpose = purpose
        self.url = url
        self.headers = headers
        self.body = body
        self.clientID = clientID
        self.citizenID = citizenID
        self.reference = reference
    }
}

/// Where deliveries go: the HTTP layer's queue. `enqueue` must not block; it returns false
/// when the delivery was refused (queue full, shutting down).
public protocol DeliverySink: Sendable {
    func enqueue(_ delivery: OutboundDelivery) -> Bool
}
