import JOSE
import JSON

/// An access token whose signature, type, issuer and expiry have been checked. Revocation is
/// the caller's to check (`TokenStatus`).
public struct VerifiedAccessToken: Sendable {
    public let jti: String
    public let subject: String
    public let clientID: String
    public let scopes: [String]
    public let grantID: String?
    public let issuedAt: Int64
    public let expiresAt: Int64
    public let claims: [String: JSONValue]
}

extension TokenIssuer {
    /// Verifies one of our access tokens (RFC 9068 §4): signed by a published key of ours with
    /// an algorithm we sign with, `typ` `at+jwt`, our `iss`, not expired, the claims we always
    /// write present. Throws `invalid_token`.
    public func verifyAccessToken(_ token: String, now: Int64) throws(OAuthError) -> VerifiedAccessToken {
        let verified: (header: JWSHeader, claims: [String: JSONValue])
        do {
            verified = try JWT.verify(
                token, allowed: Set(keys.algorithms),
                validator: JWTClaimsValidator(issuer: issuer, now: now, leeway: 0, requireIssuedAt: true),
                keyResolver: { header throws(JOSEError) in try keys.publishedKey(for: header) })
        } catch {
            throw .invalidToken("the access token is not valid", debug: "\(error)")
        }
        // RFC 9068 §4: "Resource servers MUST verify that the typ header value is at+jwt or
        // application/at+jwt and reject tokens carrying any other value."
        guard let typ = verified.header.typ?.lowercased(), typ == "at+jwt" || typ == "application/at+jwt" else {
            throw .invalidToken("the token is not an access token")
        }
        let claims = verified.claims
        guard let jti = claims["jti"]?.stringValue, let subject = claims["sub"]?.stringValue,
              let clientID = claims["client_id"]?.stringValue, let scope = claims["scope"]?.stringValue,
              let issuedAt = claims["iat"]?.intValue, let expiresAt = claims["exp"]?.intValue
        else { throw .invalidToken("the access token lacks required claims") }
        return VerifiedAccessToken(
            jti: jti, subject: subject, clientID: clientID, scopes: scope.split(separator: " ").map(String.init),
            grantID: claims["gid"]?.stringValue, issuedAt: issuedAt, expiresAt: expiresAt, claims: claims)
    }
}
