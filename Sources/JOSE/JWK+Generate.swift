import COpenSSL

extension JWK {
    /// A fresh private key for `algorithm`: RSA 2048 with e = 65537 for RS256/PS256, P-256 for
    /// ES256, Ed25519 for EdDSA. `algorithm` is not pinned on the key; set it if wanted.
    public static func generate(for algorithm: JWSAlgorithm, kid: String? = nil) throws(JOSEError) -> JWK {
        let context: PKeyContext
        switch algorithm.keyType {
        case .rsa:
            context = try PKeyContext(name: "RSA")
            guard EVP_PKEY_keygen_init(context.pointer) == 1,
                  EVP_PKEY_CTX_set_rsa_keygen_bits(context.pointer, 2048) == 1
            else { throw .openSSL("RSA keygen setup") }
        case .ec:
            context = try PKeyContext(name: "EC")
            guard EVP_PKEY_keygen_init(context.pointer) == 1,
                  EVP_PKEY_CTX_set_group_name(context.pointer, "P-256") == 1
            else { throw .openSSL("EC keygen setup") }
        case .okp:
            context = try PKeyContext(name: "ED25519")
            guard EVP_PKEY_keygen_init(context.pointer) == 1 else { throw .openSSL("Ed25519 keygen setup") }
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context.pointer, &key) == 1, let key else { throw .openSSL("EVP_PKEY_generate") }
        return JWK(storage: try EVPKey(taking: key, validate: false), kid: kid)
    }
}
