import COpenSSL

// Owners for the short-lived OpenSSL handles. Non-copyable structs so each handle has exactly
// one owner that frees it in `deinit`, without a heap allocation per signature.

/// Owns an `EVP_PKEY_CTX`.
struct PKeyContext: ~Copyable {
    let pointer: OpaquePointer

    init(name: String) throws(JOSEError) {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, name, nil) else { throw .openSSL("EVP_PKEY_CTX_new_from_name") }
        pointer = context
    }

    init(key: OpaquePointer) throws(JOSEError) {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw .openSSL("EVP_PKEY_CTX_new_from_pkey") }
        pointer = context
    }

    deinit { EVP_PKEY_CTX_free(pointer) }
}

/// Owns an `EVP_MD_CTX`.
struct DigestContext: ~Copyable {
    let pointer: OpaquePointer

    init() throws(JOSEError) {
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("EVP_MD_CTX_new") }
        pointer = context
    }

    deinit { EVP_MD_CTX_free(pointer) }
}

/// Owns a `BIGNUM`; cleared on free because it may hold private key material.
struct BigNumber: ~Copyable {
    let pointer: OpaquePointer

    /// Takes ownership of a BIGNUM returned by OpenSSL.
    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    /// Big-endian bytes without leading zeros (at least one byte), or left-padded to `width`.
    func bytes(width: Int? = nil) -> [UInt8] {
        let natural = max(1, (Int(BN_num_bits(pointer)) + 7) / 8)
        let count = max(width ?? natural, natural)
        var output = [UInt8](repeating: 0, count: count)
        _ = output.withUnsafeMutableBufferPointer { BN_bn2binpad(pointer, $0.baseAddress, Int32(count)) }
        return output
    }

    deinit { BN_clear_free(pointer) }
}

/// Owns an `OSSL_PARAM_BLD` and everything pushed into it. The builder stores the caller's
/// pointers (names, strings, octets, BIGNUMs) and only copies them in `toParams()`, so each is
/// copied into memory owned here and freed in `deinit`.
struct ParamBuilder: ~Copyable {
    let pointer: OpaquePointer
    private var numbers: [OpaquePointer] = []
    private var buffers: [UnsafeMutableRawBufferPointer] = []

    init() throws(JOSEError) {
        guard let builder = OSSL_PARAM_BLD_new() else { throw .openSSL("OSSL_PARAM_BLD_new") }
        pointer = builder
    }

    /// A NUL-terminated copy of `bytes` that lives as long as the builder.
    private mutating func retained(_ bytes: some Collection<UInt8>) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + 1, alignment: 1)
        buffer.copyBytes(from: bytes)
        buffer[bytes.count] = 0
        buffers.append(buffer)
        return buffer
    }

    private mutating func retainedName(_ name: String) -> UnsafePointer<CChar> {
        // A fresh allocation of at least one byte: baseAddress is never nil.
        UnsafePointer(retained(name.utf8).baseAddress!.assumingMemoryBound(to: CChar.self))
    }

    mutating func push(_ name: String, integer bytes: [UInt8]) throws(JOSEError) {
        guard let number = bytes.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32(clamping: $0.count), nil) }) else {
            throw .openSSL("BN_bin2bn")
        }
        numbers.append(number)
        guard OSSL_PARAM_BLD_push_BN(pointer, retainedName(name), number) == 1 else { throw .openSSL("OSSL_PARAM_BLD_push_BN") }
    }

    mutating func push(_ name: String, utf8 value: String) throws(JOSEError) {
        let key = retainedName(name)
        let copy = retained(value.utf8)
        guard OSSL_PARAM_BLD_push_utf8_string(pointer, key, copy.baseAddress?.assumingMemoryBound(to: CChar.self), value.utf8.count) == 1 else {
            throw .openSSL("OSSL_PARAM_BLD_push_utf8_string")
        }
    }

    mutating func push(_ name: String, octets: [UInt8]) throws(JOSEError) {
        let key = retainedName(name)
        let copy = retained(octets)
        guard OSSL_PARAM_BLD_push_octet_string(pointer, key, copy.baseAddress, octets.count) == 1 else {
            throw .openSSL("OSSL_PARAM_BLD_push_octet_string")
        }
    }

    func toParams() throws(JOSEError) -> Params {
        guard let params = OSSL_PARAM_BLD_to_param(pointer) else { throw .openSSL("OSSL_PARAM_BLD_to_param") }
        return Params(pointer: params)
    }

    deinit {
        OSSL_PARAM_BLD_free(pointer)
        for number in numbers { BN_clear_free(number) }
        for buffer in buffers {
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            buffer.deallocate()
        }
    }
}

/// Owns an `OSSL_PARAM` array built by `ParamBuilder`.
struct Params: ~Copyable {
    let pointer: UnsafeMutablePointer<OSSL_PARAM>
    deinit { OSSL_PARAM_free(pointer) }
}
