import Foundation
import HTTPClient
import JOSE
import JSON

/// A stand-in for the citizen's phone that approves logins from scripts, speaking the device
/// API of CONTRACT.md with its own P-256 key: enrollment from the officer's QR payload, signed
/// device assertions, listing pending requests and signed decisions. (The real app,
/// `phisut-device`, keeps its key sealed behind a passcode; this one keeps it in a 0600 file.)
public struct SimulatedDevice: Sendable {
    /// One pending approval as `GET /device/v1/requests` lists it.
    public struct PendingRequest: Sendable {
        public let requestID: String
        public let clientName: String
        public let scopes: [String]
        public let numberChallenge: Bool
    }

    public let issuer: String
    public let deviceID: String
    public let citizenID: String
    public let key: JWK

    public init(issuer: String, deviceID: String, citizenID: String, key: JWK) {
        self.issuer = issuer
        self.deviceID = deviceID
        self.citizenID = citizenID
        self.key = key
    }

    /// Enrolls a fresh P-256 key with the officer's QR payload (`phisut://enroll?iss=…&code=…`):
    /// reads the terms version, signs the proof over `{enrollment_code, citizen_id, iat}` and
    /// posts `/device/v1/enroll`.
    public static func enroll(qrPayload: String, citizenID: String, name: String = "simulated phone",
                              client: HTTPClient) throws(LoginKitError) -> SimulatedDevice {
        guard qrPayload.hasPrefix("phisut://enroll?") else { throw .usage("not an enrollment QR payload: \(qrPayload)") }
        let (values, _) = try URLForm.decode(URLForm.query(of: qrPayload))
        guard let issuer = values["iss"], let code = values["code"] else { throw .usage("QR payload without iss or code") }
        let terms = try client.callJSON("GET", issuer + "/device/v1/terms").object(step: "device terms")
        guard let version = terms["version"]?.stringValue else { throw .validation("terms without version") }
        let key: JWK
        let proof: String
        do {
            key = try JWK.generate(for: .es256)
            let payload: JSONValue = ["enrollment_code": .string(code), "citizen_id": .string(citizenID), "iat": .int(now())]
            proof = try JWS.sign(payload: payload.serialized(), key: key, algorithm: .es256)
        } catch {
            throw .usage("cannot make a device key: \(error)")
        }
        let body: JSONValue = [
            "enrollment_code": .string(code), "citizen_id": .string(citizenID), "terms_version": .string(version),
            "device_name": .string(name), "device_key": key.publicKey.json(), "proof": .string(proof),
        ]
        let enrolled = try client.callJSON("POST", issuer + "/device/v1/enroll", json: body).object(expecting: 201, step: "device enroll")
        guard let deviceID = enrolled["device_id"]?.stringValue else { throw .validation("enrollment answer without device_id") }
        return SimulatedDevice(issuer: issuer, deviceID: deviceID, citizenID: citizenID, key: key)
    }

    /// `Authorization: Bearer` value: a JWT by the device key, `kid` = `iss` = `sub` = device
    /// id, `aud` = issuer, 2 minutes of life, a fresh `jti`.
    public func assertion() throws(LoginKitError) -> String {
        let issuedAt = SimulatedDevice.now()
        let claims: [String: JSONValue] = [
            "iss": .string(deviceID), "sub": .string(deviceID), "aud": .string(issuer), "iat": .int(issuedAt),
            "exp": .int(issuedAt + 120), "jti": .string(Crypto.randomToken(bytes: 16)),
        ]
        do { return try JWT.sign(claims: claims, key: keyWithID, algorithm: .es256) } catch {
            throw .usage("cannot sign a device assertion: \(error)")
        }
    }

    private var keyWithID: JWK {
        var named = key
        named.kid = deviceID
        return named
    }

    /// The pending approvals pushed to this device.
    public func pendingRequests(client: HTTPClient) throws(LoginKitError) -> [PendingRequest] {
        let listing = try client.callJSON("GET", issuer + "/device/v1/requests", headers: [("Authorization", "Bearer " + (try assertion()))])
            .object(step: "device requests")
        return (listing["requests"]?.arrayValue ?? []).compactMap { entry in
            guard let id = entry["request_id"]?.stringValue else { return nil }
            return PendingRequest(requestID: id, clientName: entry["client_name"]?.stringValue ?? "",
                                  scopes: entry["scopes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                                  numberChallenge: entry["number_challenge"]?.boolValue ?? false)
        }
    }

    /// Posts a signed decision over `{request_id, approve, number?, iat}`. Returns the answer
    /// as it came, since callers test refusals (`wrong_number`, 404, 409) too.
    public func decide(requestID: String, approve: Bool, number: String?, client: HTTPClient) throws(LoginKitError) -> JSONAnswer {
        var payload: [String: JSONValue] = ["request_id": .string(requestID), "approve": .bool(approve), "iat": .int(SimulatedDevice.now())]
        if let number { payload["number"] = .string(number) }
        let decision: String
        do { decision = try JWS.sign(payload: JSONValue.object(payload).serialized(), key: keyWithID, algorithm: .es256) } catch {
            throw .usage("cannot sign a decision: \(error)")
        }
        let path = issuer + "/device/v1/requests/" + URLForm.escape(requestID) + "/decision"
        return try client.callJSON("POST", path, headers: [("Authorization", "Bearer " + (try assertion()))],
                                   json: ["decision": .string(decision)])
    }

    /// The first pending request, polling every 20 ms for at most `timeout` seconds (the real
    /// phone is told by an SSE event; a blocking client polls instead).
    public func waitForRequest(client: HTTPClient, timeout: Double = 10) throws(LoginKitError) -> PendingRequest {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let request = try pendingRequests(client: client).first { return request }
            guard Date() < deadline else { throw .validation("no approval request reached the device within \(Int(timeout)) s") }
            usleep(20_000)
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
