import COpenSSL

/// SHA-256 fetched once: passing an explicitly fetched digest saves a provider lookup on
/// every signature. `@unchecked Sendable`: an `EVP_MD` is immutable and shareable across
/// threads once fetched (OpenSSL 3 "Multi-threading" guarantees); it is never freed.
private final class FetchedDigest: @unchecked Sendable {
    let pointer: OpaquePointer?
    init() { pointer = EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256() }
}

private let sha256Digest = FetchedDigest()

extension EVPKey {
    /// Signs `message` with `algorithm` (JWS encoding: r‖s for ES256) and appends the signature
    /// to `output`. Each call works on its own context, so concurrent calls on one key are safe.
    func sign(_ message: UnsafeRawBufferPointer, algorithm: JWSAlgorithm, appendingTo output: inout [UInt8]) throws(JOSEError) {
        guard isPrivate else { throw .invalidKey("a public key cannot sign") }
        let context = try contexts.context(for: self, algorithm: algorithm, signing: true)
        // The context is used once: let OpenSSL finalize it in place instead of duplicating it.
        EVP_MD_CTX_set_flags(context.pointer, EVP_MD_CTX_FLAG_FINALISE)
        // DER ECDSA P-256 is at most 72 bytes; RSA and Ed25519 signatures have the exact size.
        var length = algorithm == .es256 ? 72 : signatureLength
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { buffer throws(JOSEError) in
            guard EVP_DigestSign(context.pointer, buffer.baseAddress, &length, message.baseAddress, message.count) == 1,
                  length <= buffer.count
            else { throw .openSSL("EVP_DigestSign") }
            let signature = UnsafeBufferPointer(rebasing: buffer[..<length])
            if algorithm == .es256 {
                try ECDSASignature.appendRaw(fromDER: signature, coordinateSize: 32, to: &output)
            } else {
                output.append(contentsOf: signature)
            }
        }
    }

    /// Verifies a JWS-encoded `signature` over `message`. The caller has already checked the
    /// signature length and that `algorithm` suits this key.
    func verify(_ signature: [UInt8], message: UnsafeRawBufferPointer, algorithm: JWSAlgorithm) throws(JOSEError) -> Bool {
        let encoded = algorithm == .es256 ? ECDSASignature.der(fromRaw: signature) : signature
        let context = try contexts.context(for: self, algorithm: algorithm, signing: false)
        EVP_MD_CTX_set_flags(context.pointer, EVP_MD_CTX_FLAG_FINALISE)
        let result = encoded.withUnsafeBufferPointer { buffer in
            EVP_DigestVerify(context.pointer, buffer.baseAddress, buffer.count, message.baseAddress, message.count)
        }
        if result != 1 { ERR_clear_error() }
        return result == 1
    }

    /// Initializes `context` for one sign or verify operation with this key.
    func initialize(_ context: OpaquePointer, algorithm: JWSAlgorithm, signing: Bool) throws(JOSEError) {
        guard algorithm.keyType == keyType else { throw .keyAlgorithmMismatch }
        // Ed25519 is one-shot over the whole message (RFC 8032 PureEdDSA): no digest.
        let digest = algorithm == .edDSA ? nil : sha256Digest.pointer
        var keyContext: OpaquePointer?
        let ok = signing
            ? EVP_DigestSignInit(context, &keyContext, digest, nil, pointer)
            : EVP_DigestVerifyInit(context, &keyContext, digest, nil, pointer)
        guard ok == 1 else { throw .openSSL(signing ? "EVP_DigestSignInit" : "EVP_DigestVerifyInit") }
        if algorithm == .ps256 {
            // RFC 7518 §3.5: MGF1 with SHA-256 (OpenSSL's default: the signature digest) and a
            // salt as long as the hash; verification insists on the same salt length.
            guard let keyContext,
                  EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1
            else { throw .openSSL("PSS parameters") }
        }
    }
}
