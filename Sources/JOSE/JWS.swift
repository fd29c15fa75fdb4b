import JSON

/// A JWS whose signature has been verified.
public struct VerifiedJWS: Sendable {
    public let header: JWSHeader
    public let payload: [UInt8]
    /// The key that verified the signature.
    public let key: JWK
}

/// JWS Compact Serialization (RFC 7515 §7.1) with the algorithms of `JWSAlgorithm`.
public enum JWS {
    /// Signs `payload`. The protected header is `header` plus `alg` (always `algorithm`) and
    /// `kid` (the key's, unless `header` names one), serialized compactly with sorted keys.
    /// Throws `.keyAlgorithmMismatch` unless `algorithm` is in `key.allowedAlgorithms`.
    public static func sign(payload: some Collection<UInt8>, key: JWK, algorithm: JWSAlgorithm,
                            header: [String: JSONValue] = [:]) throws(JOSEError) -> String {
        var members = header
        members["alg"] = .string(algorithm.rawValue)
        if members["kid"] == nil, let kid = key.kid { members["kid"] = .string(kid) }
        return try sign(protectedHeader: JSONValue.object(members).serialized(), payload: payload, key: key, algorithm: algorithm)
    }

    /// Signs exactly these protected-header bytes (for test vectors and byte-exact headers).
    public static func sign(protectedHeader: [UInt8], payload: some Collection<UInt8>, key: JWK,
                            algorithm: JWSAlgorithm) throws(JOSEError) -> String {
        guard key.allowedAlgorithms.contains(algorithm) else { throw .keyAlgorithmMismatch }
        var output: [UInt8] = []
        output.reserveCapacity((protectedHeader.count + payload.count + key.storage.signatureLength) * 4 / 3 + 8)
        Base64URL.append(protectedHeader, to: &output)
        output.append(UInt8(ascii: "."))
        Base64URL.append(payload, to: &output)
        var signature: [UInt8] = []
        signature.reserveCapacity(key.storage.signatureLength)
        try output.withUnsafeBufferPointer { signingInput throws(JOSEError) in
            try key.storage.sign(UnsafeRawBufferPointer(signingInput), algorithm: algorithm, appendingTo: &signature)
        }
        output.append(UInt8(ascii: "."))
        Base64URL.append(signature, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Verifies a compact JWS, in this order: three base64url parts; the header a JSON object
    /// without duplicate members (RFC 7515 §5.2); `alg` not `none` (`.algorithmNone`),
    /// supported (`.unsupportedAlgorithm`) and in `allowed` (`.algorithmNotAllowed`); every
    /// `crit` name in `understoodCritical` (`.unknownCritical`); the resolved key allows `alg`
    /// (`.keyAlgorithmMismatch`); the signature has the exact length for the key
    /// (`.badSignatureLength`) and verifies (`.invalidSignature`).
    public static func verify(_ compact: String, allowed: Set<JWSAlgorithm>, understoodCritical: Set<String> = [],
                              keyResolver: (JWSHeader) throws(JOSEError) -> JWK) throws(JOSEError) -> VerifiedJWS {
        let parts = try CompactParts(compact)
        let header = try JWSHeader(raw: parts.header)
        guard allowed.contains(header.alg) else { throw .algorithmNotAllowed(header.alg.rawValue) }
        for name in header.crit ?? [] where !understoodCritical.contains(name) { throw .unknownCritical(name) }
        let key = try keyResolver(header)
        guard key.allowedAlgorithms.contains(header.alg) else { throw .keyAlgorithmMismatch }
        guard parts.signature.count == key.storage.signatureLength else { throw .badSignatureLength }
        var signingInput = parts.signingInput
        let valid = try signingInput.withUTF8 { input in
            Result { () throws(JOSEError) in
                try key.storage.verify(parts.signature, message: UnsafeRawBufferPointer(input), algorithm: header.alg)
            }
        }.get()
        guard valid else { throw .invalidSignature }
        return VerifiedJWS(header: header, payload: parts.payload, key: key)
    }

    /// Verifies with one known key; `allowed` defaults to the key's `allowedAlgorithms`.
    public static func verify(_ compact: String, key: JWK, allowed: Set<JWSAlgorithm>? = nil) throws(JOSEError) -> VerifiedJWS {
        try verify(compact, allowed: allowed ?? key.allowedAlgorithms) { _ throws(JOSEError) in key }
    }

    /// Decodes without verifying, to find `kid` or `iss` before choosing a key. The header must
    /// still be a JSON object; nothing else is checked. Never trust the result.
    public static func decodeUnverified(_ compact: String) throws(JOSEError) -> (header: JSONValue, payload: [UInt8]) {
        let parts = try CompactParts(compact)
        return (.object(parts.header), parts.payload)
    }
}

/// The three decoded parts of a compact JWS and the bytes that were signed.
struct CompactParts {
    let header: [String: JSONValue]
    let payload: [UInt8]
    let signature: [UInt8]
    /// ASCII(BASE64URL(header) "." BASE64URL(payload)), RFC 7515 §5.2 step 8.
    let signingInput: Substring

    init(_ compact: String) throws(JOSEError) {
        var text = compact
        // Native strings are contiguous UTF-8: scan and decode in place, no byte-array copy.
        let decoded = try text.withUTF8 { bytes in
            Result { () throws(JOSEError) in try CompactParts.split(bytes) }
        }.get()
        guard !decoded.header.isEmpty else { throw .malformed("empty protected header") }
        let headerValue: JSONValue
        do { headerValue = try JSONValue(parsing: decoded.header) } catch { throw .malformed("header: \(error.message)") }
        guard let header = headerValue.objectValue else { throw .malformed("header is not a JSON object") }
        self.header = header
        payload = decoded.payload
        signature = decoded.signature
        signingInput = Substring(text.utf8.prefix(decoded.signingInputLength))
    }

    private static func split(_ bytes: UnsafeBufferPointer<UInt8>) throws(JOSEError)
        -> (header: [UInt8], payload: [UInt8], signature: [UInt8], signingInputLength: Int) {
        let dot = UInt8(ascii: ".")
        guard let first = bytes.firstIndex(of: dot),
              let second = bytes[(first + 1)...].firstIndex(of: dot),
              bytes[(second + 1)...].firstIndex(of: dot) == nil
        else {
            throw .malformed("compact JWS must have 3 parts, not \(bytes.count { $0 == dot } + 1)")
        }
        return (try Base64URL.decode(bytes: UnsafeBufferPointer(rebasing: bytes[..<first])),
                try Base64URL.decode(bytes: UnsafeBufferPointer(rebasing: bytes[(first + 1)..<second])),
                try Base64URL.decode(bytes: UnsafeBufferPointer(rebasing: bytes[(second + 1)...])),
                second)
    }
}
