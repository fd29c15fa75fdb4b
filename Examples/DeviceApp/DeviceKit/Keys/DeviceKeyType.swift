import JOSE

/// The key types a device may hold (CONTRACT.md: EC P-256 or OKP Ed25519).
public enum DeviceKeyType: String, Sendable, CaseIterable {
    case p256 = "p256"
    case ed25519 = "ed25519"

    /// Parses the `--key-type` value; `p-256`, `es256` and `eddsa` are accepted too.
    public init(argument: String) throws(DeviceError) {
        switch argument.lowercased() {
        case "p256", "p-256", "ec", "es256": self = .p256
        case "ed25519", "eddsa", "okp": self = .ed25519
        default: throw .usage("--key-type must be p256 or ed25519")
        }
    }

    init?(algorithm: JWSAlgorithm) {
        switch algorithm {
        case .es256: self = .p256
        case .edDSA: self = .ed25519
        default: return nil
        }
    }

    /// The one JWS algorithm the key signs with.
    public var algorithm: JWSAlgorithm {
        switch self {
        case .p256: .es256
        case .ed25519: .edDSA
        }
    }

    public var displayName: String {
        switch self {
        case .p256: "EC P-256"
        case .ed25519: "Ed25519"
        }
    }

    /// A fresh private key.
    public func generate() throws(DeviceError) -> JWK {
        do {
            return try JWK.generate(for: algorithm)
        } catch {
            throw .crypto("key generation: \(error)")
        }
    }
}
