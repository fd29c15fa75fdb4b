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
        let valid = try parts.signingInput.withUnsafeBufferPointer { input throws(JOSEError) in
            try key.storage.verify(parts.signature, message: UnsafeRawBufferPointer(input), algorithm: header.alg)
        }
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
    let signingInput: ArraySlice<UInt8>

    init(_ compact: String) throws(JOSEError) {
        let bytes = Array(compact.utf8)
        var dots: [Int] = []
        for index in bytes.indices where bytes[index] == UInt8(ascii: ".") { dots.append(index) }
        guard dots.count == 2 else {
            throw .malformed("compact JWS must have 3 parts, not \(dots.count + 1)")
        }
        let (first, second) = (dots[0], dots[1])
        let decoded = try bytes.withUnsafeBufferPointer { buffer throws(JOSEError) in
            (try Base64URL.decode(bytes: UnsafeBufferPointer(rebasing: buffer[..<first])),
             try Base64URL.decode(bytes: UnsafeBufferPointer(rebasing: buffer[(first + 1)..<second])),
             try Base64URL.decode(bytes: UnsafeBufferPointer(rebasing: buffer[(second + 1)...])))
        }
        guard !decoded.0.isEmpty else { throw .malformed("empty protected header") }
        let headerValue: JSONValue
        do { headerValue = try JSONValue(parsing: decoded.0) } catch { throw .malformed("header: \(error.message)") }
        guard let header = headerValue.objectValue else { throw .malformed("header is not a JSON object") }
        self.header = header
        payload = decoded.1
        signature = decoded.2
        signingInput = bytes[..<second]
    }
}
