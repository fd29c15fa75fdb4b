import JOSE
import JSON

/// One binding of this device to a broker, as kept in the state file.
public struct DeviceEnrollment: Sendable, Equatable {
    /// Where the enrollment stands locally.
    public enum Status: String, Sendable {
        /// The key is sealed and usable.
        case active
        /// Revoked at the broker by this app; the key is gone.
        case revoked
        /// Too many wrong passcodes; the key is gone, the citizen must enroll again.
        case wiped
    }

    public var deviceID: String
    /// The broker's issuer URL (the `aud` of device assertions).
    public var issuer: String
    /// The full citizen ID; print only `maskedCitizenID`.
    public var citizenID: String
    public var deviceName: String
    /// The signing algorithm of the key: ES256 (P-256) or EdDSA (Ed25519).
    public var algorithm: JWSAlgorithm
    /// The public JWK sent at enrollment.
    public var publicKey: JSONValue
    /// The private key under the passcode; nil once revoked or wiped.
    public var sealedKey: SealedKey?
    /// Wrong passcodes in a row; reset by a right one.
    public var failedPasscodes: Int
    public var status: Status
    /// Seconds since 1970 when the broker accepted the enrollment.
    public var enrolledAt: Int64

    public init(deviceID: String, issuer: String, citizenID: String, deviceName: String, algorithm: JWSAlgorithm,
                publicKey: JSONValue, sealedKey: SealedKey?, failedPasscodes: Int = 0, status: Status = .active,
                enrolledAt: Int64) {
        self.deviceID = deviceID
        self.issuer = issuer
        self.citizenID = citizenID
        self.deviceName = deviceName
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.sealedKey = sealedKey
        self.failedPasscodes = failedPasscodes
        self.status = status
        self.enrolledAt = enrolledAt
    }

    /// The citizen ID with all but the last four digits hidden.
    public var maskedCitizenID: String { CitizenNumber.mask(citizenID) }

    /// "EC P-256" or "Ed25519", for listings.
    public var keyTypeName: String { DeviceKeyType(algorithm: algorithm)?.displayName ?? algorithm.rawValue }
}
