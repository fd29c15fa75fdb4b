import COpenSSL

// Owners for the OpenSSL handles the key vault uses: non-copyable, each frees its handle in
// `deinit`, and no pointer leaves this module.

/// Owns an `EVP_KDF_CTX` for one named KDF ("SCRYPT", "PBKDF2").
struct KDFContext: ~Copyable {
    let pointer: OpaquePointer

    /// Nil when the provider does not offer `name` (e.g. scrypt in a FIPS-only build).
    init?(name: String) {
        guard let kdf = EVP_KDF_fetch(nil, name, nil) else {
            ERR_clear_error()
            return nil
        }
        // The context takes its own reference to the method.
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else { return nil }
        pointer = context
    }

    deinit { EVP_KDF_CTX_free(pointer) }
}

/// Owns an `EVP_CIPHER_CTX`; freeing it also clears the expanded key schedule.
struct CipherContext: ~Copyable {
    let pointer: OpaquePointer

    init() throws(DeviceError) {
        guard let context = EVP_CIPHER_CTX_new() else { throw .crypto("EVP_CIPHER_CTX_new") }
        pointer = context
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }
}

/// OSSL_PARAM keeps the *pointer* to its key name, so names must be static C strings.
enum ParamName {
    static let password: StaticString = "pass"
    static let salt: StaticString = "salt"
    static let scryptN: StaticString = "n"
    static let scryptR: StaticString = "r"
    static let scryptP: StaticString = "p"
    static let iterations: StaticString = "iter"
    static let digest: StaticString = "digest"
    static let sha256: StaticString = "SHA256"

    static func c(_ name: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
    }
}

/// Overwrites secret bytes before the array is released (best effort: Swift may have copied).
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
}
