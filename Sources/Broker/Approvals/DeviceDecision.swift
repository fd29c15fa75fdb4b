import JOSE
import JSON

/// A device's signed answer to a pending approval (CONTRACT.md, `POST
/// /device/v1/requests/{request_id}/decision`): a compact JWS by the enrolled device key over
/// `{"request_id", "approve", "number", "iat"}`.
public struct DeviceDecision: Sendable, Equatable {
    public let requestID: String
    public let approve: Bool
    /// The digits the citizen typed (number matching); nil when denying.
    public let number: String?
    public let issuedAt: Int64

    public init(requestID: String, approve: Bool, number: String?, issuedAt: Int64) {
        self.requestID = requestID
        self.approve = approve
        self.number = number
        self.issuedAt = issuedAt
    }

    /// Verifies `jws` with the device's key and reads it. The signature must be by `key` with an
    /// algorithm devices may use; `iat` must be recent: not older than `maxAge` seconds and not
    /// more than `skew` seconds in the future.
    static func verify(_ jws: String, key: JWK, now: Int64, maxAge: Int64, skew: Int64) throws(OAuthError) -> DeviceDecision {
        let payload: JSONValue
        do {
            let verified = try JWS.verify(jws, key: key, allowed: EnrollmentService.deviceAlgorithms.intersection(key.allowedAlgorithms))
            payload = try JSONValue(parsing: verified.payload)
        } catch {
            throw .invalidRequest("decision must be a JWS signed by this device's key", debug: "\(error)")
        }
        guard let requestID = payload["request_id"]?.stringValue else { throw .invalidRequest("the decision has no request_id") }
        guard let approve = payload["approve"]?.boolValue else { throw .invalidRequest("the decision's approve must be true or false") }
        guard let iat = payload["iat"]?.intValue else { throw .invalidRequest("the decision has no iat") }
        guard iat >= now - maxAge, iat <= now + skew else { throw .invalidRequest("the decision's iat is not recent") }
        let number: String?
        switch payload["number"] {
        case nil, .some(.null): number = nil
        case .some(let value):
            guard let text = value.stringValue, text.utf8.count <= 16 else { throw .invalidRequest("the decision's number must be a string of digits") }
            number = text
        }
        return DeviceDecision(requestID: requestID, approve: approve, number: number, issuedAt: iat)
    }
}
