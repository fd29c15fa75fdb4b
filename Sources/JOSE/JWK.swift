import JSON

/// A JSON Web Key (RFC 7517) for signing or verifying: RSA (≥ 2048 bits), EC P-256 or
/// Ed25519. The parsed OpenSSL key lives in a shared immutable owner, so copies are cheap and
/// `kid`/`use`/`algorithm` edits have value semantics.
public struct JWK: Sendable {
    /// The `kty` values we accept (RFC 7518 §6.1, RFC 8037 §2). `oct` is refused on purpose.
    public enum KeyType: String, Sendable {
        case rsa = "RSA"
        case ec = "EC"
        case okp = "OKP"
    }

    let storage: EVPKey

    /// Key ID (`kid`, RFC 7517 §4.5).
    public var kid: String?
    /// Intended use (`use`, RFC 7517 §4.2), e.g. "sig".
    public var use: String?
    /// The one algorithm this key may be used with (`alg`, RFC 7517 §4.4), if pinned.
    public var algorithm: JWSAlgorithm?

    init(storage: EVPKey, kid: String? = nil, use: String? = nil, algorithm: JWSAlgorithm? = nil) {
        self.storage = storage
        self.kid = kid
        self.use = use
        self.algorithm = algorithm
    }

    /// `kty` of the key.
    public var keyType: KeyType { storage.keyType }

    /// Whether the key holds private parts and can sign.
    public var isPrivate: Bool { storage.isPrivate }

    /// The key with private parts removed; `kid`, `use` and `alg` are kept.
    public var publicKey: JWK {
        JWK(storage: storage.publicOnly, kid: kid, use: use, algorithm: algorithm)
    }

    /// Algorithms this key may be used with (RFC 8725 §3.1: the algorithm is bound to the key,
    /// never taken from the token alone). If `algorithm` is set, only it; otherwise by type:
    /// RSA → RS256, PS256; EC P-256 → ES256; Ed25519 → EdDSA. A key marked `"use": "enc"` has
    /// none.
    public var allowedAlgorithms: Set<JWSAlgorithm> {
        if let use, use != "sig" { return [] }
        if let algorithm { return algorithm.keyType == keyType ? [algorithm] : [] }
        return Set(JWSAlgorithm.allCases.filter { $0.keyType == keyType })
    }

    /// Size in bits of the RSA modulus or the curve.
    public var bits: Int {
        keyType == .rsa ? storage.signatureLength * 8 : 256
    }
}
