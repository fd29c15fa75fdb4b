import JOSE
import JSON

/// The federation operator's keys (`Metadata/federation/*.json`, each a JWK or a JWK Set) and
/// the check of the software statements they sign (RFC 7591 §2.3, §3.1.1).
public struct FederationTrust: Sendable {
    /// Public keys whose signatures make a software statement trusted.
    public let keys: [JWK]
    /// Algorithms a statement may use: asymmetric only (never `none` or HMAC).
    public static let algorithms: Set<JWSAlgorithm> = ClientMetadataValidator.assertionAlgorithms
    /// JWT claims about the statement itself, not client metadata: never merged.
    static let statementClaims: Set<String> = ["iss", "sub", "aud", "iat", "exp", "nbf", "jti"]

    public init(keys: [JWK]) { self.keys = keys.map(\.publicKey) }

    /// Loads every `*.json` of `directory`. A file that is neither a JWK nor a JWK Set, or that
    /// holds a private key, stops start-up naming the file. A missing directory trusts no one.
    public static func load(directory: String) throws -> FederationTrust {
        var keys: [JWK] = []
        for (path, document) in try MetadataFiles.documents(in: directory) {
            let found: [JWK]
            do {
                found = document["keys"] != nil ? try JWKSet(json: document).keys : [try JWK(json: document)]
            } catch {
                throw MetadataError(file: path, field: nil, message: "not a usable JWK or JWK Set: \(error)")
            }
            if found.contains(where: \.isPrivate) {
                throw MetadataError(file: path, field: nil, message: "holds a private key; only the operator's public keys belong here")
            }
            keys += found
        }
        return FederationTrust(keys: keys)
    }

    /// Verifies `statement` and returns the claims that are client metadata. Refuses, with
    /// `invalid_software_statement`: a value that is not a JWS, `alg: none` and unsupported or
    /// symmetric algorithms, a signature by a key that is not the operator's (or a tampered
    /// one), an expired or not-yet-valid statement, and one without `iss` (RFC 7591 §2.3:
    /// the statement "MUST contain an "iss" (issuer) claim").
    public func verify(_ statement: String, now: Int64, leeway: Int64) throws(OAuthError) -> [String: JSONValue] {
        let claims: [String: JSONValue]
        do {
            claims = try JWT.verify(
                statement, allowed: Self.algorithms,
                validator: JWTClaimsValidator(now: now, leeway: leeway, requireExpiration: false),
                keyResolver: { header throws(JOSEError) in try keys.verificationKey(for: header) }).claims
        } catch {
            throw OAuthError("invalid_software_statement", "software_statement \(Self.reason(error))", debug: "\(error)")
        }
        guard let issuer = claims["iss"]?.stringValue, !issuer.isEmpty else {
            throw OAuthError("invalid_software_statement", "software_statement has no iss claim (RFC 7591 §2.3)")
        }
        return claims.filter { !Self.statementClaims.contains($0.key) }
    }

    private static func reason(_ error: JOSEError) -> String {
        switch error {
        case .algorithmNone: "is unsigned (alg none)"
        case .unsupportedAlgorithm, .algorithmNotAllowed: "must be signed with one of \(algorithms.map(\.rawValue).sorted().joined(separator: ", "))"
        case .keyNotFound, .keyAlgorithmMismatch: "is not signed by a trusted federation operator key"
        case .invalidSignature, .badSignatureLength: "has an invalid signature"
        case .expired: "has expired"
        case .notYetValid, .issuedInFuture: "is not valid yet"
        default: "is not a valid signed JWT"
        }
    }
}
