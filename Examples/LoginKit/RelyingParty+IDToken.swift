import Foundation
import JOSE
import JSON

extension RelyingParty {
    /// Validates an ID token as OIDC Core §3.1.3.7 asks of a client:
    /// 1. the JWS is signed with the registered `id_token_signed_response_alg` by a JWKS key
    ///    named by `kid` (steps 6–8; `alg: none` and other algorithms are refused);
    /// 2. `iss` is the issuer exactly, `aud` contains the client id, and with several audiences
    ///    `azp` is the client id (steps 2–5);
    /// 3. `exp` is in the future and `iat` is present (steps 9–10), with 60 s of leeway;
    /// 4. `nonce` equals the one sent (step 11); `sub` and `acr` are non-empty strings;
    /// 5. `at_hash`, when an access token came with it, is the left half of the SHA-256 of the
    ///    token's ASCII, base64url-encoded (§3.1.3.8; SHA-256 for every algorithm but EdDSA,
    ///    which the pilot clients do not register).
    /// Returns the claims.
    public func validateIDToken(_ token: String, nonce: String?, accessToken: String?,
                                now: Int64 = Int64(Date().timeIntervalSince1970)) throws(LoginKitError) -> [String: JSONValue] {
        let validator = JWTClaimsValidator(issuer: provider.issuer, audience: registration.clientID, now: now,
                                           requireExpiration: true, requireIssuedAt: true)
        let claims: [String: JSONValue]
        do {
            let keys = provider.keys
            claims = try JWT.verify(token, allowed: [registration.idTokenAlgorithm], validator: validator) { header throws(JOSEError) in
                guard let kid = header.kid, let key = keys.key(withID: kid) else { throw .invalidKey("no JWKS key for kid \(header.kid ?? "(none)")") }
                return key
            }.claims
        } catch {
            throw .validation("ID token: \(error)")
        }
        if let audiences = claims["aud"]?.arrayValue, audiences.count > 1, claims["azp"]?.stringValue != registration.clientID {
            throw .validation("ID token has several audiences and azp is not the client")
        }
        if let nonce, claims["nonce"]?.stringValue != nonce { throw .validation("ID token nonce does not match") }
        guard let sub = claims["sub"]?.stringValue, !sub.isEmpty else { throw .validation("ID token without sub") }
        guard let acr = claims["acr"]?.stringValue, !acr.isEmpty else { throw .validation("ID token without acr") }
        if let accessToken {
            guard registration.idTokenAlgorithm != .edDSA else { return claims }
            guard let atHash = claims["at_hash"]?.stringValue else { throw .validation("ID token without at_hash") }
            let digest = Crypto.sha256(Array(accessToken.utf8))
            guard atHash == Base64URL.encode(digest.prefix(digest.count / 2)) else {
                throw .validation("ID token at_hash does not match the access token")
            }
        }
        return claims
    }
}
