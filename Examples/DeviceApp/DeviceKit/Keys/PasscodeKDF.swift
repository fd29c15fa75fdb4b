import COpenSSL

/// How a passcode becomes the 256-bit key that seals the device key. Stored beside the
/// ciphertext, so it can be raised later without breaking older state files.
public enum PasscodeKDF: Sendable, Equatable {
    /// scrypt (RFC 7914) through OpenSSL's EVP_KDF "SCRYPT".
    case scrypt(n: UInt64, r: UInt32, p: UInt32)
    /// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) through EVP_KDF "PBKDF2", for builds without scrypt.
    case pbkdf2SHA256(iterations: UInt32)

    /// N = 2^15, r = 8, p = 1: 32 MiB and about a tenth of a second per guess.
    public static let recommendedScrypt = PasscodeKDF.scrypt(n: 1 << 15, r: 8, p: 1)
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    public static let recommendedPBKDF2 = PasscodeKDF.pbkdf2SHA256(iterations: 600_000)

    /// scrypt when this OpenSSL offers it, else PBKDF2.
    public static var recommended: PasscodeKDF {
        KDFContext(name: "SCRYPT") != nil ? recommendedScrypt : recommendedPBKDF2
    }

    /// Refuses parameters a state file could use to exhaust memory or time, and nonsense
    /// (N not a power of two). Not a strength floor: whoever can edit the file already holds
    /// the ciphertext.
    func checkBounds() throws(DeviceError) {
        switch self {
        case .scrypt(let n, let r, let p):
            guard n >= 2, n & (n - 1) == 0, r >= 1, r <= 32, p >= 1, p <= 16,
                  n <= (UInt64(256) << 20) / (128 * UInt64(r))
            else { throw .stateFile("unsupported scrypt parameters") }
        case .pbkdf2SHA256(let iterations):
            guard iterations >= 1000, iterations <= 10_000_000 else { throw .stateFile("unsupported PBKDF2 iteration count") }
        }
    }

    /// Derives `count` bytes from `passcode` and `salt`.
    func derive(passcode: Passcode, salt: [UInt8], count: Int = 32) throws(DeviceError) -> [UInt8] {
        try checkBounds()
        let name = if case .scrypt = self { "SCRYPT" } else { "PBKDF2" }
        guard let context = KDFContext(name: name) else { throw .crypto("\(name) is not available in this OpenSSL") }
        var password = Array(passcode.digits.utf8)
        defer { wipe(&password) }
        var saltCopy = salt
        var output = [UInt8](repeating: 0, count: count)
        let ok = password.withUnsafeMutableBytes { passwordBytes in
            saltCopy.withUnsafeMutableBytes { saltBytes in
                withParameters { numbers in
                    var params: [OSSL_PARAM] = [
                        OSSL_PARAM_construct_octet_string(ParamName.c(ParamName.password), passwordBytes.baseAddress, passwordBytes.count),
                        OSSL_PARAM_construct_octet_string(ParamName.c(ParamName.salt), saltBytes.baseAddress, saltBytes.count),
                    ]
                    params += numbers
                    params.append(OSSL_PARAM_construct_end())
                    return output.withUnsafeMutableBufferPointer { out in
                        EVP_KDF_derive(context.pointer, out.baseAddress, out.count, params) == 1
                    }
                }
            }
        }
        guard ok else {
            ERR_clear_error()
            throw .crypto("\(name) derivation failed")
        }
        return output
    }

    /// Calls `body` with the numeric parameters; their storage lives until `body` returns.
    private func withParameters<R>(_ body: ([OSSL_PARAM]) -> R) -> R {
        switch self {
        case .scrypt(var n, var r, var p):
            return withUnsafeMutablePointer(to: &n) { nPointer in
                withUnsafeMutablePointer(to: &r) { rPointer in
                    withUnsafeMutablePointer(to: &p) { pPointer in
                        body([
                            OSSL_PARAM_construct_uint64(ParamName.c(ParamName.scryptN), nPointer),
                            OSSL_PARAM_construct_uint32(ParamName.c(ParamName.scryptR), rPointer),
                            OSSL_PARAM_construct_uint32(ParamName.c(ParamName.scryptP), pPointer),
                        ])
                    }
                }
            }
        case .pbkdf2SHA256(var iterations):
            return withUnsafeMutablePointer(to: &iterations) { iterationsPointer in
                // A static string: OSSL_PARAM keeps this pointer too.
                let digest = UnsafeMutableRawPointer(mutating: ParamName.sha256.utf8Start)
                return body([
                    OSSL_PARAM_construct_uint32(ParamName.c(ParamName.iterations), iterationsPointer),
                    OSSL_PARAM_construct_utf8_string(ParamName.c(ParamName.digest), digest.assumingMemoryBound(to: CChar.self), 0),
                ])
            }
        }
    }
}
