import COpenSSL

/// Owns one parsed `EVP_PKEY` plus its JWK members, extracted once.
///
/// `@unchecked Sendable`: every stored property is immutable after `init`, and OpenSSL 3
/// allows one `EVP_PKEY` to be used from many threads at once as long as each operation uses
/// its own `EVP_MD_CTX`/`EVP_PKEY_CTX`, which `EVPKey+Signing.swift` does.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer
    let keyType: JWK.KeyType
    /// "P-256" or "Ed25519"; nil for RSA.
    let curve: String?
    /// JWK public members in canonical (minimal, RFC 7518 §6) form, e.g. n,e or x,y.
    let publicMembers: [(name: String, value: [UInt8])]
    /// JWK private members; empty for a public key.
    let privateMembers: [(name: String, value: [UInt8])]
    /// Exact signature length this key produces: RSA modulus bytes, 64 for P-256 and Ed25519.
    let signatureLength: Int
    /// The same key without private parts; nil when this already is public.
    private let publicTwin: EVPKey?
    /// Pre-initialized sign/verify contexts (see `ContextCache`).
    let contexts = ContextCache()

    var isPrivate: Bool { !privateMembers.isEmpty }
    var publicOnly: EVPKey { publicTwin ?? self }

    /// Takes ownership of `pointer` (freed even when this throws) and reads its members.
    /// `validate` runs OpenSSL's public-key check, and the pairwise check for private keys.
    init(taking pointer: OpaquePointer, validate: Bool) throws(JOSEError) {
        self.pointer = pointer
        var parts: KeyParts
        do {
            parts = try KeyParts(reading: pointer)
            if validate { try EVPKey.check(pointer, isPrivate: !parts.privateMembers.isEmpty) }
            if !parts.privateMembers.isEmpty {
                parts.twin = try EVPKey.publicKey(keyType: parts.keyType, curve: parts.curve, members: parts.publicMembers)
            }
        } catch {
            EVP_PKEY_free(pointer)
            throw error
        }
        keyType = parts.keyType
        curve = parts.curve
        publicMembers = parts.publicMembers
        privateMembers = parts.privateMembers
        signatureLength = parts.signatureLength
        publicTwin = parts.twin
    }

    deinit { EVP_PKEY_free(pointer) }

    /// Member value by JWK name ("n", "x", …).
    func member(_ name: String) -> [UInt8]? {
        publicMembers.first { $0.name == name }?.value ?? privateMembers.first { $0.name == name }?.value
    }

    private static func check(_ pointer: OpaquePointer, isPrivate: Bool) throws(JOSEError) {
        let context = try PKeyContext(key: pointer)
        let ok = isPrivate ? EVP_PKEY_pairwise_check(context.pointer) : EVP_PKEY_public_check(context.pointer)
        guard ok == 1 else {
            ERR_clear_error()
            throw .invalidKey(isPrivate ? "private key does not match public key" : "public key fails validation (point not on curve?)")
        }
    }

    /// Builds a public-only key from JWK members.
    static func publicKey(keyType: JWK.KeyType, curve: String?, members: [(name: String, value: [UInt8])]) throws(JOSEError) -> EVPKey {
        let lookup = Dictionary(members.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let pointer: OpaquePointer
        switch keyType {
        case .rsa:
            pointer = try fromData(type: "RSA", isPrivate: false) { builder throws(JOSEError) in
                try builder.push("n", integer: lookup["n"] ?? [])
                try builder.push("e", integer: lookup["e"] ?? [])
            }
        case .ec:
            pointer = try fromData(type: "EC", isPrivate: false) { builder throws(JOSEError) in
                try builder.push("group", utf8: "prime256v1")
                try builder.push("pub", octets: [0x04] + (lookup["x"] ?? []) + (lookup["y"] ?? []))
            }
        case .okp:
            let x = lookup["x"] ?? []
            guard let raw = x.withUnsafeBufferPointer({ EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count) }) else {
                throw .openSSL("EVP_PKEY_new_raw_public_key")
            }
            pointer = raw
        }
        return try EVPKey(taking: pointer, validate: false)
    }

    /// `EVP_PKEY_fromdata` for `type` with the params `fill` pushes.
    static func fromData(type: String, isPrivate: Bool,
                         _ fill: (inout ParamBuilder) throws(JOSEError) -> Void) throws(JOSEError) -> OpaquePointer {
        var builder = try ParamBuilder()
        try fill(&builder)
        let params = try builder.toParams()
        let context = try PKeyContext(name: type)
        guard EVP_PKEY_fromdata_init(context.pointer) == 1 else { throw .openSSL("EVP_PKEY_fromdata_init") }
        var key: OpaquePointer?
        let selection = isPrivate ? COpenSSL_EVP_PKEY_KEYPAIR() : COpenSSL_EVP_PKEY_PUBLIC_KEY()
        guard EVP_PKEY_fromdata(context.pointer, &key, selection, params.pointer) == 1, let key else {
            ERR_clear_error()
            throw .invalidKey("OpenSSL refused the \(type) key material")
        }
        return key
    }
}

/// The members read out of an `EVP_PKEY`.
private struct KeyParts {
    var keyType: JWK.KeyType
    var curve: String?
    var publicMembers: [(name: String, value: [UInt8])] = []
    var privateMembers: [(name: String, value: [UInt8])] = []
    var signatureLength: Int
    var twin: EVPKey?

    static let minimumRSABits: Int32 = 2048
    /// Larger moduli only cost the verifier time; nobody needs them for JWS.
    static let maximumRSABits: Int32 = 16384

    init(reading key: OpaquePointer) throws(JOSEError) {
        if EVP_PKEY_is_a(key, "RSA") == 1 {
            keyType = .rsa
            let bits = EVP_PKEY_get_bits(key)
            guard bits >= KeyParts.minimumRSABits else { throw .keyTooSmall }
            guard bits <= KeyParts.maximumRSABits else { throw .unsupportedKey("RSA key above \(KeyParts.maximumRSABits) bits") }
            signatureLength = Int(EVP_PKEY_get_size(key))
            for name in ["n", "e"] {
                guard let value = KeyParts.integer(key, name) else { throw .invalidKey("RSA key without \(name)") }
                publicMembers.append((name, value))
            }
            if let d = KeyParts.integer(key, "d") {
                privateMembers.append(("d", d))
                let crt = [("p", "rsa-factor1"), ("q", "rsa-factor2"), ("dp", "rsa-exponent1"),
                           ("dq", "rsa-exponent2"), ("qi", "rsa-coefficient1")]
                for (jwkName, paramName) in crt {
                    guard let value = KeyParts.integer(key, paramName) else {
                        throw .unsupportedKey("RSA private key without CRT parameters")
                    }
                    privateMembers.append((jwkName, value))
                }
            }
        } else if EVP_PKEY_is_a(key, "EC") == 1 {
            keyType = .ec
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_utf8_string_param(key, "group", &name, name.count, &length) == 1 else {
                ERR_clear_error()
                throw .unsupportedKey("EC key without a named curve")
            }
            let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard group == "prime256v1" else { throw .unsupportedKey("EC curve \(group)") }
            curve = "P-256"
            signatureLength = 64
            for (jwkName, paramName) in [("x", "qx"), ("y", "qy")] {
                guard let value = KeyParts.integer(key, paramName, width: 32) else { throw .invalidKey("EC key without a public point") }
                publicMembers.append((jwkName, value))
            }
            if let d = KeyParts.integer(key, "priv", width: 32) { privateMembers.append(("d", d)) }
        } else if EVP_PKEY_is_a(key, "ED25519") == 1 {
            keyType = .okp
            curve = "Ed25519"
            signatureLength = 64
            guard let x = KeyParts.raw(key, isPrivate: false) else { throw .invalidKey("Ed25519 key without public part") }
            publicMembers.append(("x", x))
            if let d = KeyParts.raw(key, isPrivate: true) { privateMembers.append(("d", d)) }
        } else {
            let name = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "unknown"
            throw .unsupportedKey("key type \(name)")
        }
    }

    private static func integer(_ key: OpaquePointer, _ name: String, width: Int? = nil) -> [UInt8]? {
        var raw: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &raw) == 1, let raw else {
            ERR_clear_error()
            return nil
        }
        return BigNumber(taking: raw).bytes(width: width)
    }

    private static func raw(_ key: OpaquePointer, isPrivate: Bool) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 32)
        var length = bytes.count
        let ok = bytes.withUnsafeMutableBufferPointer { buffer in
            isPrivate ? EVP_PKEY_get_raw_private_key(key, buffer.baseAddress, &length)
                      : EVP_PKEY_get_raw_public_key(key, buffer.baseAddress, &length)
        }
        guard ok == 1, length == 32 else {
            ERR_clear_error()
            return nil
        }
        return bytes
    }
}
