import COpenSSL
import JSON

extension JWK {
    /// Parses a JWK object (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2).
    ///
    /// Accepts `kty` RSA (≥ 2048 bits, else `.keyTooSmall`), EC with `crv` P-256 (the point is
    /// validated on the curve), OKP with `crv` Ed25519. Private members are optional, but for
    /// RSA "if the producer includes any of the other private key parameters, then all of the
    /// others MUST be present" (RFC 7518 §6.3.2), and a private key must match its public part.
    /// Symmetric `oct` keys, other curves and multi-prime RSA (`oth`) are `.unsupportedKey`;
    /// an `alg` outside `JWSAlgorithm` is `.unsupportedAlgorithm`.
    public init(json: JSONValue) throws(JOSEError) {
        guard let object = json.objectValue else { throw .malformed("JWK is not a JSON object") }
        let reader = MemberReader(object: object)
        guard let kty = try reader.string("kty") else { throw .invalidKey("missing kty") }
        guard let keyType = KeyType(rawValue: kty) else { throw .unsupportedKey("kty \(kty)") }
        var algorithm: JWSAlgorithm?
        if let alg = try reader.string("alg") {
            guard let known = JWSAlgorithm(rawValue: alg) else { throw .unsupportedAlgorithm(alg) }
            guard known.keyType == keyType else { throw .keyAlgorithmMismatch }
            algorithm = known
        }
        let storage: EVPKey
        switch keyType {
        case .rsa: storage = try JWK.rsaKey(reader)
        case .ec: storage = try JWK.ecKey(reader)
        case .okp: storage = try JWK.ed25519Key(reader)
        }
        self.init(storage: storage, kid: try reader.string("kid"), use: try reader.string("use"), algorithm: algorithm)
    }

    /// Parses a JWK from JSON text; see `init(json:)`.
    public init(jsonText: String) throws(JOSEError) {
        let value: JSONValue
        do { value = try JSONValue(parsing: jsonText) } catch { throw .malformed("JWK: \(error.message)") }
        try self.init(json: value)
    }

    /// The JWK as a JSON object: `kty`, `crv` (EC/OKP), the public members, the private members
    /// only when `includePrivate` is true, and `kid`/`use`/`alg` when set.
    public func json(includePrivate: Bool = false) -> JSONValue {
        var object = requiredMembers()
        if includePrivate {
            for member in storage.privateMembers { object[member.name] = .string(Base64URL.encode(member.value)) }
        }
        if let kid { object["kid"] = .string(kid) }
        if let use { object["use"] = .string(use) }
        if let algorithm { object["alg"] = .string(algorithm.rawValue) }
        return .object(object)
    }

    /// The RFC 7638 JWK thumbprint: SHA-256 over the required members in lexicographic order
    /// with no whitespace (§3.2), base64url encoded.
    public func thumbprint() -> String {
        Base64URL.encode(Crypto.sha256(JSONValue.object(requiredMembers()).serialized()))
    }

    /// `kty`, `crv` (EC/OKP) and the public key members: RFC 7638 §3.2's required members.
    private func requiredMembers() -> [String: JSONValue] {
        var object: [String: JSONValue] = ["kty": .string(keyType.rawValue)]
        if let curve = storage.curve { object["crv"] = .string(curve) }
        for member in storage.publicMembers { object[member.name] = .string(Base64URL.encode(member.value)) }
        return object
    }

    private static func rsaKey(_ reader: MemberReader) throws(JOSEError) -> EVPKey {
        guard reader.object["oth"] == nil else { throw .unsupportedKey("multi-prime RSA (oth)") }
        guard let n = try reader.integer("n"), let e = try reader.integer("e") else { throw .invalidKey("RSA key needs n and e") }
        let modulusBits = n.first.map { n.count * 8 - $0.leadingZeroBitCount } ?? 0
        guard modulusBits >= 2048 else { throw .keyTooSmall }
        let crtNames = ["p", "q", "dp", "dq", "qi"]
        let d = try reader.integer("d")
        var crt: [[UInt8]] = []
        for name in crtNames { if let value = try reader.integer(name) { crt.append(value) } }
        if d == nil {
            guard crt.isEmpty else { throw .invalidKey("RSA CRT parameters without d") }
        } else if crt.isEmpty {
            throw .unsupportedKey("RSA private key without CRT parameters")
        } else if crt.count != crtNames.count {
            throw .invalidKey("RSA private key with some but not all of p, q, dp, dq, qi")
        }
        let key = try EVPKey.fromData(type: "RSA", isPrivate: d != nil) { builder throws(JOSEError) in
            try builder.push("n", integer: n)
            try builder.push("e", integer: e)
            if let d {
                try builder.push("d", integer: d)
                for (name, value) in zip(["rsa-factor1", "rsa-factor2", "rsa-exponent1", "rsa-exponent2", "rsa-coefficient1"], crt) {
                    try builder.push(name, integer: value)
                }
            }
        }
        return try EVPKey(taking: key, validate: true)
    }

    private static func ecKey(_ reader: MemberReader) throws(JOSEError) -> EVPKey {
        guard let crv = try reader.string("crv") else { throw .invalidKey("EC key without crv") }
        guard crv == "P-256" else { throw .unsupportedKey("EC curve \(crv)") }
        // RFC 7518 §6.2.1.2/3, §6.2.2.1: coordinates and d are the full 32 bytes.
        guard let x = try reader.integer("x"), let y = try reader.integer("y") else { throw .invalidKey("EC key needs x and y") }
        guard x.count == 32, y.count == 32 else { throw .invalidKey("P-256 coordinates must be 32 bytes") }
        let d = try reader.integer("d")
        if let d, d.count != 32 { throw .invalidKey("P-256 private key must be 32 bytes") }
        let key = try EVPKey.fromData(type: "EC", isPrivate: d != nil) { builder throws(JOSEError) in
            try builder.push("group", utf8: "prime256v1")
            try builder.push("pub", octets: [0x04] + x + y)
            if let d { try builder.push("priv", integer: d) }
        }
        return try EVPKey(taking: key, validate: true)
    }

    private static func ed25519Key(_ reader: MemberReader) throws(JOSEError) -> EVPKey {
        guard let crv = try reader.string("crv") else { throw .invalidKey("OKP key without crv") }
        guard crv == "Ed25519" else { throw .unsupportedKey("OKP curve \(crv)") }
        guard let x = try reader.integer("x"), x.count == 32 else { throw .invalidKey("Ed25519 x must be 32 bytes") }
        guard let d = try reader.integer("d") else {
            return try EVPKey.publicKey(keyType: .okp, curve: crv, members: [("x", x)])
        }
        guard d.count == 32 else { throw .invalidKey("Ed25519 d must be 32 bytes") }
        guard let raw = d.withUnsafeBufferPointer({ EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count) }) else {
            throw .openSSL("EVP_PKEY_new_raw_private_key")
        }
        let key = try EVPKey(taking: raw, validate: false)
        // RFC 8037 §2: x is derived from d; a JWK whose x disagrees is not one key.
        guard key.member("x") == x else { throw .invalidKey("Ed25519 x does not match d") }
        return key
    }
}

/// Typed access to JWK members with JOSE errors.
private struct MemberReader {
    let object: [String: JSONValue]

    func string(_ name: String) throws(JOSEError) -> String? {
        guard let value = object[name] else { return nil }
        guard let string = value.stringValue else { throw .invalidKey("\(name) is not a string") }
        return string
    }

    /// A base64url member as bytes (RFC 7518 §2 Base64urlUInt and octet strings).
    func integer(_ name: String) throws(JOSEError) -> [UInt8]? {
        guard let text = try string(name) else { return nil }
        let bytes: [UInt8]
        do { bytes = try Base64URL.decode(text) } catch { throw .invalidKey("\(name) is not base64url") }
        guard !bytes.isEmpty else { throw .invalidKey("\(name) is empty") }
        return bytes
    }
}
