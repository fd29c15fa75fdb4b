import JSON

/// A JWK Set (RFC 7517 §5).
public struct JWKSet: Sendable {
    public var keys: [JWK]

    public init(keys: [JWK]) {
        self.keys = keys
    }

    /// Parses `{"keys": [...]}`. Keys we cannot use — unsupported `kty`/`crv`/`alg`, RSA keys
    /// under 2048 bits — are skipped, since "implementations SHOULD ignore JWKs within a JWK
    /// Set that use "kty" values that are not understood by them" (RFC 7517 §5) and a set
    /// may legitimately hold them. A supported key with broken material fails the whole set.
    public init(json: JSONValue) throws(JOSEError) {
        guard let entries = json["keys"]?.arrayValue else { throw .malformed("JWK Set without a keys array") }
        var keys: [JWK] = []
        for entry in entries {
            do {
                keys.append(try JWK(json: entry))
            } catch .unsupportedKey, .unsupportedAlgorithm, .keyTooSmall {
                continue
            }
        }
        self.keys = keys
    }

    /// Parses JWK Set JSON text; see `init(json:)`.
    public init(jsonText: String) throws(JOSEError) {
        let value: JSONValue
        do { value = try JSONValue(parsing: jsonText) } catch { throw .malformed("JWK Set: \(error.message)") }
        try self.init(json: value)
    }

    /// `{"keys": [...]}`; private members only when `includePrivate` is true.
    public func json(includePrivate: Bool = false) -> JSONValue {
        .object(["keys": .array(keys.map { $0.json(includePrivate: includePrivate) })])
    }

    /// The first key whose `kid` equals `kid`.
    public func key(withID kid: String) -> JWK? {
        keys.first { $0.kid == kid }
    }
}
