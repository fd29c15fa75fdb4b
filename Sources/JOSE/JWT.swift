import JSON

/// JSON Web Tokens (RFC 7519) as JWS-signed claim sets.
public enum JWT {
    /// Signs `claims` (serialized compactly with sorted keys). The header carries `alg`, the
    /// key's `kid` and `typ` = `type` when not nil (RFC 7519 §5.1; e.g. "at+jwt" per RFC 9068).
    public static func sign(claims: [String: JSONValue], key: JWK, algorithm: JWSAlgorithm,
                            type: String? = "JWT") throws(JOSEError) -> String {
        var header: [String: JSONValue] = [:]
        if let type { header["typ"] = .string(type) }
        return try JWS.sign(payload: JSONValue.object(claims).serialized(), key: key, algorithm: algorithm, header: header)
    }

    /// Verifies the signature exactly as `JWS.verify`, then requires the payload to be a JSON
    /// object (RFC 7519 §7.2 step 10) and runs `validator` on it.
    public static func verify(_ token: String, allowed: Set<JWSAlgorithm>, validator: JWTClaimsValidator,
                              keyResolver: (JWSHeader) throws(JOSEError) -> JWK) throws(JOSEError) -> (header: JWSHeader, claims: [String: JSONValue]) {
        let verified = try JWS.verify(token, allowed: allowed, keyResolver: keyResolver)
        let payload: JSONValue
        do { payload = try JSONValue(parsing: verified.payload) } catch { throw .malformed("claims: \(error.message)") }
        guard let claims = payload.objectValue else { throw .malformed("claims are not a JSON object") }
        try validator.validate(claims)
        return (verified.header, claims)
    }
}
