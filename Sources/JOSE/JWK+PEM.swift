import COpenSSL

extension JWK {
    /// Parses the first PEM key in `pem`: PKCS#8 `PRIVATE KEY`, SPKI `PUBLIC KEY`, or the
    /// traditional `RSA PRIVATE KEY` / `EC PRIVATE KEY` / `RSA PUBLIC KEY` forms. The same key
    /// types and checks as `init(json:)` apply. Encrypted keys are refused (no passphrase is
    /// ever prompted for).
    public init(pem: String) throws(JOSEError) {
        guard !pem.contains("ENCRYPTED") else { throw .unsupportedKey("encrypted PEM") }
        var key: OpaquePointer?
        let decoder = try PEMDecoder(into: &key)
        let bytes = Array(pem.utf8)
        let decoded = bytes.withUnsafeBufferPointer { buffer -> Bool in
            var data = buffer.baseAddress
            var length = buffer.count
            return OSSL_DECODER_from_data(decoder.pointer, &data, &length) == 1
        }
        guard decoded, let key else {
            ERR_clear_error()
            throw .invalidKey("not a PEM key OpenSSL can read")
        }
        self.init(storage: try EVPKey(taking: key, validate: true))
    }
}

/// Owns an `OSSL_DECODER_CTX` that decodes PEM into an `EVP_PKEY`.
private struct PEMDecoder: ~Copyable {
    let pointer: OpaquePointer

    init(into key: UnsafeMutablePointer<OpaquePointer?>) throws(JOSEError) {
        // Selection 0: accept private keys, public keys and key pairs alike.
        guard let context = OSSL_DECODER_CTX_new_for_pkey(key, "PEM", nil, nil, 0, nil, nil) else {
            throw .openSSL("OSSL_DECODER_CTX_new_for_pkey")
        }
        pointer = context
        // Refuse any passphrase request rather than let OpenSSL prompt on a terminal.
        _ = OSSL_DECODER_CTX_set_passphrase_cb(context, { _, _, _, _, _ in 0 }, nil)
    }

    deinit { OSSL_DECODER_CTX_free(pointer) }
}
