/// The JWS algorithms Phisut signs and verifies (RFC 7518 §3, RFC 8037 §3.1). HMAC is left out
/// on purpose: a public key must never double as an HMAC secret (RFC 8725 §2.1).
public enum JWSAlgorithm: String, Sendable, CaseIterable, Hashable {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    case rs256 = "RS256"
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 7518 §3.5).
    case ps256 = "PS256"
    /// ECDSA P-256 with SHA-256, signature r‖s (RFC 7518 §3.4).
    case es256 = "ES256"
    /// Ed25519 (RFC 8037 §3.1).
    case edDSA = "EdDSA"

    /// The key type the algorithm needs.
    var keyType: JWK.KeyType {
        switch self {
        case .rs256, .ps256: .rsa
        case .es256: .ec
        case .edDSA: .okp
        }
    }
}
