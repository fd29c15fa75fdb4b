import COpenSSL

/// Small primitives the broker needs beyond JWS.
public enum Crypto {
    /// `count` bytes from OpenSSL's CSPRNG (RAND_bytes). There is no safe way to continue
    /// without randomness, so if the generator fails twice the process stops rather than hand
    /// out predictable tokens (this is an environment failure, never caused by input).
    public static func randomBytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        for _ in 0..<2 {
            let ok = bytes.withUnsafeMutableBufferPointer { buffer in
                RAND_bytes(buffer.baseAddress, Int32(clamping: buffer.count)) == 1
            }
            if ok && count <= Int(Int32.max) { return bytes }
            ERR_clear_error()
        }
        fatalError("RAND_bytes failed: no secure randomness available")
    }

    /// base64url of `bytes` fresh random bytes (default 32 → 256 bits, 43 characters).
    public static func randomToken(bytes: Int = 32) -> String {
        Base64URL.encode(randomBytes(bytes))
    }

    /// SHA-256 digest (32 bytes).
    public static func sha256(_ data: some Collection<UInt8>) -> [UInt8] {
        digest(data, length: 32) { SHA256($0, $1, $2) }
    }

    /// SHA-512 (OIDC Core §3.1.3.6: `at_hash` of an EdDSA ID token uses Ed25519's hash).
    public static func sha512(_ data: some Collection<UInt8>) -> [UInt8] {
        digest(data, length: 64) { SHA512($0, $1, $2) }
    }

    private static func digest(
        _ data: some Collection<UInt8>, length: Int,
        _ function: (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?) -> UnsafeMutablePointer<UInt8>?
    ) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: length)
        let hashed: Void? = data.withContiguousStorageIfAvailable { buffer in
            digest.withUnsafeMutableBufferPointer { _ = function(buffer.baseAddress, buffer.count, $0.baseAddress) }
        }
        if hashed == nil {
            let copy = Array(data)
            copy.withUnsafeBufferPointer { buffer in
                digest.withUnsafeMutableBufferPointer { _ = function(buffer.baseAddress, buffer.count, $0.baseAddress) }
            }
        }
        return digest
    }

    /// HMAC-SHA-256 of `data` under `key` (RFC 2104), 32 bytes.
    public static func hmacSHA256(key: [UInt8], data: some Collection<UInt8>) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        let message = Array(data)
        // HMAC() treats a NULL key as "reuse the previous key", so an empty key still needs storage.
        let keyStorage = key.isEmpty ? [0] : key
        keyStorage.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                mac.withUnsafeMutableBufferPointer { macBuffer in
                    _ = HMAC(EVP_sha256(), keyBuffer.baseAddress, Int32(clamping: key.count),
                             messageBuffer.baseAddress, messageBuffer.count, macBuffer.baseAddress, &length)
                }
            }
        }
        return mac
    }

    /// Compares in time that depends only on the lengths, never on where the bytes differ.
    public static func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
