import JSON

/// A parsed JWS protected header (RFC 7515 §4). Only the members we act on are typed; all are
/// in `raw`.
public struct JWSHeader: Sendable {
    /// Every header member as parsed.
    public let raw: [String: JSONValue]
    /// `alg` (§4.1.1), already known to be one we support.
    public let alg: JWSAlgorithm
    /// `kid` (§4.1.4).
    public let kid: String?
    /// `typ` (§4.1.9).
    public let typ: String?
    /// `crit` (§4.1.11): the extension names the recipient must understand.
    public let crit: [String]?

    /// Checks the typed members: `alg` must be present and supported (`none` →
    /// `.algorithmNone`, others outside `JWSAlgorithm` → `.unsupportedAlgorithm`); `kid`, `typ`
    /// must be strings; `crit` a non-empty array of names present in the header.
    public init(raw: [String: JSONValue]) throws(JOSEError) {
        guard let algName = raw["alg"] else { throw .malformed("header without alg") }
        guard let algText = algName.stringValue else { throw .malformed("alg is not a string") }
        // RFC 8725 §3.1: never accept unsecured JWS, whatever the caller allows.
        if algText.utf8.count == 4, algText.lowercased() == "none" { throw .algorithmNone }
        guard let alg = JWSAlgorithm(rawValue: algText) else { throw .unsupportedAlgorithm(algText) }
        self.raw = raw
        self.alg = alg
        kid = try JWSHeader.optionalString(raw, "kid")
        typ = try JWSHeader.optionalString(raw, "typ")
        if let value = raw["crit"] {
            // §4.1.11: "Producers MUST NOT use the empty list", and every listed name must
            // occur in the header.
            guard let list = value.arrayValue, !list.isEmpty else { throw .malformed("crit must be a non-empty array") }
            var names: [String] = []
            for entry in list {
                guard let name = entry.stringValue, raw[name] != nil, !names.contains(name) else {
                    throw .malformed("crit entries must be distinct names present in the header")
                }
                names.append(name)
            }
            crit = names
        } else {
            crit = nil
        }
        // RFC 7797 unencoded payloads are not supported; refusing keeps "b64" from silently
        // changing what was signed.
        if let b64 = raw["b64"], b64 != .bool(true) { throw .malformed("unencoded payload (b64) not supported") }
    }

    private static func optionalString(_ raw: [String: JSONValue], _ name: String) throws(JOSEError) -> String? {
        guard let value = raw[name] else { return nil }
        guard let string = value.stringValue else { throw .malformed("\(name) is not a string") }
        return string
    }
}
