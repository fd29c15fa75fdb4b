import Foundation
import JOSE
import JSON
import Storage

/// What the citizen's app posts to bind itself (CONTRACT.md, `POST /device/v1/enroll`).
public struct DeviceEnrollmentRequest: Sendable {
    public var enrollmentCode: String?
    public var citizenID: String?
    public var termsVersion: String?
    public var deviceName: String?
    public var deviceKey: JSONValue?
    public var pushURL: String?
    public var proof: String?

    public init(enrollmentCode: String?, citizenID: String?, termsVersion: String?, deviceName: String?,
                deviceKey: JSONValue?, pushURL: String? = nil, proof: String?) {
        self.enrollmentCode = enrollmentCode
        self.citizenID = citizenID
        self.termsVersion = termsVersion
        self.deviceName = deviceName
        self.deviceKey = deviceKey
        self.pushURL = pushURL
        self.proof = proof
    }
}

extension EnrollmentService {
    /// Device keys are P-256 or Ed25519: nothing weaker, and nothing a phone's secure element
    /// would not hold.
    static let deviceAlgorithms: Set<JWSAlgorithm> = [.es256, .edDSA]

    /// Verifies code, citizen, terms and proof of possession, then binds the device and consumes
    /// the code in one transaction. A refusal that names this code counts as a failed attempt;
    /// the `maxEnrollmentAttempts`-th burns the code.
    public func enrollDevice(_ request: DeviceEnrollmentRequest) throws -> DeviceRecord {
        guard let code = request.enrollmentCode, !code.isEmpty, code.utf8.count <= 256 else {
            throw OAuthError.invalidRequest("enrollment_code is required")
        }
        let citizenID = try CitizenID.parse(request.citizenID)
        let name = try Self.name(request.deviceName, field: "device_name")
        guard let keyJSON = request.deviceKey else { throw OAuthError.invalidRequest("device_key is required") }
        guard let proof = request.proof, !proof.isEmpty else { throw OAuthError.invalidRequest("proof is required") }
        let pushURL = try request.pushURL.map { try PushURL.validate($0, developmentBroker: configuration.isDevelopment) }
        let key = try Self.deviceKey(keyJSON)

        let now = clock.now
        let enrollment: EnrollmentRecord
        do {
            enrollment = try store.enrollment(codeHash: SecretHash.of(code))
        } catch StorageError.notFound {
            audit.record("enrollment.attempt_refused", by: .anonymous, citizen: citizenID.digits, success: false, detail: "unknown code")
            throw OAuthError.invalidEnrollmentCode("the enrollment code is unknown, used or expired")
        }
        guard enrollment.status == .pending, enrollment.expiresAt > now else {
            audit.record("enrollment.attempt_refused", by: .anonymous, citizen: enrollment.citizenID, success: false,
                         detail: "\(enrollment.id) \(enrollment.status == .pending ? "expired" : enrollment.status.rawValue)")
            throw OAuthError.invalidEnrollmentCode("the enrollment code is unknown, used or expired")
        }

        do {
            guard enrollment.citizenID == citizenID.digits else {
                throw OAuthError.citizenMismatch("the citizen ID does not match the one the officer checked")
            }
            guard request.termsVersion == terms.current.version else {
                throw OAuthError.termsNotAccepted("the current terms of service (version \(terms.current.version)) must be accepted")
            }
            try verifyProof(proof, key: key, code: code, citizenID: citizenID.digits, now: now)
        } catch let refusal as OAuthError {
            countFailedAttempt(enrollment, reason: refusal.code)
            throw refusal
        }

        let device = DeviceRecord(
            id: random.identifier("dev"), citizenID: citizenID.digits, name: name,
            publicKeyJWK: key.publicKey.json().serializedString(), pushURL: pushURL,
            termsVersion: terms.current.version, createdAt: now, revokedAt: nil, lastSeenAt: nil)
        let max = configuration.maxDevicesPerCitizen
        try store.transaction { tx in
            // Re-read inside the transaction: of two concurrent uses of one code, one wins.
            let current = try tx.enrollment(id: enrollment.id)
            guard current.status == .pending, current.expiresAt > now else {
                throw OAuthError.invalidEnrollmentCode("the enrollment code is unknown, used or expired")
            }
            guard try tx.activeDeviceCount(citizenID: citizenID.digits) < max else {
                throw OAuthError.tooManyDevices("this citizen already has \(max) active devices; revoke one first")
            }
            try tx.update(EnrollmentRecord.self, id: enrollment.id) { record in
                record.status = .used
                record.usedAt = now
                record.deviceID = device.id
            }
            try tx.addDevice(device)
            try audit.record("device.bound", by: .device(device.id), citizen: citizenID.digits,
                             detail: "\(enrollment.id) office \(enrollment.officeCode) terms \(device.termsVersion)", in: tx)
        }
        qrCache.remove(enrollment.id)
        return device
    }

    /// Parses the submitted public key: EC P-256 or OKP Ed25519, public parts only.
    static func deviceKey(_ json: JSONValue) throws(OAuthError) -> JWK {
        guard json.objectValue != nil else { throw .invalidRequest("device_key must be a JWK object") }
        let key: JWK
        do {
            key = try JWK(json: json)
        } catch {
            throw .invalidRequest("device_key is not a usable JWK: \(error)")
        }
        guard !key.isPrivate else { throw .invalidRequest("device_key must not contain private key material") }
        guard !key.allowedAlgorithms.isDisjoint(with: deviceAlgorithms), key.keyType != .rsa else {
            throw .invalidRequest("device_key must be an EC P-256 or OKP Ed25519 key")
        }
        return key
    }

    /// The proof is a JWS by the device key over `{"enrollment_code", "citizen_id", "iat"}`.
    func verifyProof(_ proof: String, key: JWK, code: String, citizenID: String, now: Int64) throws(OAuthError) {
        let payload: JSONValue
        do {
            let verified = try JWS.verify(proof, key: key, allowed: Self.deviceAlgorithms)
            payload = try JSONValue(parsing: verified.payload)
        } catch {
            throw .invalidProof("the proof is not a valid signature by device_key", debug: "\(error)")
        }
        guard payload["enrollment_code"]?.stringValue == code, payload["citizen_id"]?.stringValue == citizenID else {
            throw .invalidProof("the proof does not cover this enrollment code and citizen ID")
        }
        guard let iat = payload["iat"]?.intValue, abs(iat - now) <= configuration.deviceAssertionMaxLifetime else {
            throw .invalidProof("the proof's iat is missing or not recent")
        }
    }

    private func countFailedAttempt(_ enrollment: EnrollmentRecord, reason: String) {
        let max = configuration.maxEnrollmentAttempts
        var burned = false
        do {
            try store.update(EnrollmentRecord.self, id: enrollment.id) { record in
                guard record.status == .pending else { return }
                record.failedAttempts += 1
                if record.failedAttempts >= max {
                    record.status = .burned
                    burned = true
                }
            }
        } catch {
            audit.log("could not count a failed attempt on \(enrollment.id): \(error)")
        }
        audit.record("enrollment.attempt_refused", by: .anonymous, citizen: enrollment.citizenID, success: false,
                     detail: "\(enrollment.id) \(reason)" + (burned ? "; code burned" : ""))
    }
}

/// A device's push gateway URL: https, or http on loopback for a development broker.
enum PushURL {
    static func validate(_ text: String, developmentBroker: Bool) throws(OAuthError) -> String {
        guard text.utf8.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              let host = url.host, !host.isEmpty, url.fragment == nil else {
            throw .invalidRequest("push_url must be an absolute URL")
        }
        let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
        guard scheme == "https" || (scheme == "http" && loopback && developmentBroker) else {
            throw .invalidRequest("push_url must use https")
        }
        return text
    }
}
