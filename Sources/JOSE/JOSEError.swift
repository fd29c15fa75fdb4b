/// Every way a JOSE operation can fail. The cases are deliberately coarse so callers can map
/// them to OAuth errors without leaking detail; the associated strings are for logs only.
public enum JOSEError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Structurally invalid input (wrong part count, header not a JSON object, bad member type).
    case malformed(String)
    /// A base64url part is not strict RFC 7515 §2 base64url.
    case invalidBase64
    /// An `alg` outside `JWSAlgorithm` (e.g. HS256, ES512, PS384).
    case unsupportedAlgorithm(String)
    /// `alg` is `none` (RFC 7518 §3.6): never accepted.
    case algorithmNone
    /// A supported `alg` the caller did not allow.
    case algorithmNotAllowed(String)
    /// The `alg` is not one the key may be used with (RFC 8725 §3.1).
    case keyAlgorithmMismatch
    /// A `crit` header name the caller does not understand (RFC 7515 §4.1.11).
    case unknownCritical(String)
    /// The signature has the wrong length for the algorithm and key.
    case badSignatureLength
    /// The signature does not verify.
    case invalidSignature
    /// A key type or curve we do not support (e.g. `oct`, P-521, X25519).
    case unsupportedKey(String)
    /// Key material that is missing, inconsistent or not on its curve.
    case invalidKey(String)
    /// An RSA key below 2048 bits.
    case keyTooSmall
    /// No key matched (for key resolvers).
    case keyNotFound
    /// `exp` has passed (RFC 7519 §4.1.4).
    case expired
    /// `nbf` is in the future (RFC 7519 §4.1.5).
    case notYetValid
    /// `iat` is in the future (RFC 7519 §4.1.6).
    case issuedInFuture
    /// `exp - iat` exceeds the validator's `maxLifetime`.
    case lifetimeTooLong
    /// `iss` differs from the expected issuer.
    case wrongIssuer
    /// `aud` does not contain the expected audience.
    case wrongAudience
    /// A required claim is absent.
    case missingClaim(String)
    /// A claim has the wrong JSON type.
    case invalidClaim(String)
    /// OpenSSL failed unexpectedly.
    case crypto(String)

    public var description: String {
        switch self {
        case .malformed(let detail): "malformed JOSE object: \(detail)"
        case .invalidBase64: "invalid base64url"
        case .unsupportedAlgorithm(let alg): "unsupported algorithm \(alg)"
        case .algorithmNone: "unsecured JWS (alg none) refused"
        case .algorithmNotAllowed(let alg): "algorithm \(alg) not allowed"
        case .keyAlgorithmMismatch: "algorithm does not match the key"
        case .unknownCritical(let name): "unknown critical header \(name)"
        case .badSignatureLength: "signature has the wrong length"
        case .invalidSignature: "invalid signature"
        case .unsupportedKey(let detail): "unsupported key: \(detail)"
        case .invalidKey(let detail): "invalid key: \(detail)"
        case .keyTooSmall: "RSA key smaller than 2048 bits"
        case .keyNotFound: "no matching key"
        case .expired: "token expired"
        case .notYetValid: "token not yet valid"
        case .issuedInFuture: "token issued in the future"
        case .lifetimeTooLong: "token lifetime too long"
        case .wrongIssuer: "wrong issuer"
        case .wrongAudience: "wrong audience"
        case .missingClaim(let name): "missing claim \(name)"
        case .invalidClaim(let name): "invalid claim \(name)"
        case .crypto(let detail): "crypto failure: \(detail)"
        }
    }
}
