import JOSE
import JSON

/// The two things a device signs besides decisions (CONTRACT.md, "Device API").
public enum DeviceSignatures {
    /// The enrollment proof of possession: a compact JWS by the device key over
    /// `{"enrollment_code", "citizen_id", "iat"}`.
    public static func enrollmentProof(key: JWK, algorithm: JWSAlgorithm, code: String, citizenID: String,
                                       now: Int64) throws(DeviceError) -> String {
        let payload: JSONValue = ["enrollment_code": .string(code), "citizen_id": .string(citizenID), "iat": .int(now)]
        do {
            return try JWS.sign(payload: payload.serialized(), key: key, algorithm: algorithm)
        } catch {
            throw .crypto("signing the proof: \(error)")
        }
    }

    /// Lifetime of a device assertion; the broker accepts at most 300 seconds.
    public static let assertionLifetime: Int64 = 120

    /// A device assertion (`Authorization: Bearer`): a JWT with header `kid` = device id and
    /// claims `iss` = `sub` = device id, `aud` = issuer, `iat`, `exp` = iat + 120 and a random
    /// 128-bit `jti` (the broker refuses a replay).
    public static func deviceAssertion(key: JWK, algorithm: JWSAlgorithm, deviceID: String, issuer: String,
                                       now: Int64) throws(DeviceError) -> String {
        var signing = key
        signing.kid = deviceID
        let claims: [String: JSONValue] = [
            "iss": .string(deviceID), "sub": .string(deviceID), "aud": .string(issuer), "iat": .int(now),
            "exp": .int(now + assertionLifetime), "jti": .string(Crypto.randomToken(bytes: 16)),
        ]
        do {
            return try JWT.sign(claims: claims, key: signing, algorithm: algorithm)
        } catch {
            throw .crypto("signing the device assertion: \(error)")
        }
    }
}

extension DeviceSignatures {
    /// A decision on a pending request: a compact JWS by the device key (header `kid` = device
    /// id) over `{"request_id", "approve", "number" (only when given), "iat"}` (CONTRACT.md,
    /// `POST /device/v1/requests/{id}/decision`).
    public static func decision(key: JWK, algorithm: JWSAlgorithm, deviceID: String, requestID: String, approve: Bool,
                                number: ApprovalNumber?, now: Int64) throws(DeviceError) -> String {
        var signing = key
        signing.kid = deviceID
        var payload: [String: JSONValue] = ["request_id": .string(requestID), "approve": .bool(approve), "iat": .int(now)]
        if let number { payload["number"] = .string(number.digits) }
        do {
            return try JWS.sign(payload: JSONValue.object(payload).serialized(), key: signing, algorithm: algorithm)
        } catch {
            throw .crypto("signing the decision: \(error)")
        }
    }
}
