import JOSE
import JSON
import Storage

/// `private_key_jwt` (OIDC Core §9, RFC 7523 §2.2 and §3): a JWT signed with a key of the
/// client's registered JWK Set.
struct PrivateKeyJWT: ClientAuthenticationMethod {
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// How far ahead an assertion's `exp` may lie: a short-lived, single-use proof.
    static let maxLifetime: Int64 = 300

    var name: String { "private_key_jwt" }
    func isPresented(in credentials: ClientCredentials) -> Bool { credentials.assertion != nil || credentials.assertionType != nil }

    /// RFC 7523 §3: `sub` is the client id (the form `client_id` is optional).
    func claimedClientID(_ credentials: ClientCredentials) -> String? {
        if let id = credentials.clientID { return id }
        guard let assertion = credentials.assertion, let decoded = try? JWS.decodeUnverified(assertion),
              let claims = try? JSONValue(parsing: decoded.payload) else { return nil }
        return claims["sub"]?.stringValue
    }

    func authenticate(_ credentials: ClientCredentials, as client: Client, context: ClientAuthenticationContext) throws(OAuthError) {
        guard credentials.assertionType == Self.assertionType else {
            throw .invalidClient("client_assertion_type must be \(Self.assertionType)")
        }
        guard let assertion = credentials.assertion else { throw .invalidClient("client_assertion is required") }
        let kid = (try? JWS.decodeUnverified(assertion))?.header["kid"]?.stringValue
        let keys = try context.clients.keys(for: client, kid: kid)
        // The algorithm is bound to the key and the registration (RFC 8725 §3.1); JOSE knows no
        // HMAC, so an HS256 assertion fails as an unsupported algorithm.
        let allowed = client.tokenEndpointAuthSigningAlg.map { [$0] } ?? ClientMetadataValidator.assertionAlgorithms
        let claims: [String: JSONValue]
        do {
            claims = try JWT.verify(
                assertion, allowed: allowed,
                validator: JWTClaimsValidator(issuer: client.id, now: context.now, leeway: context.clockSkew),
                keyResolver: { header throws(JOSEError) in
                    try keys.keys.verificationKey(for: header)
                }).claims
        } catch {
            throw .invalidClient("the client assertion is not valid", debug: "\(client.id): \(error)")
        }
        // RFC 7523 §3 item 2: "the JWT MUST contain a "sub" (subject) claim" — the client id.
        guard claims["sub"]?.stringValue == client.id else { throw .invalidClient("the client assertion's sub must be the client_id") }
        // Item 3: the audience identifies the authorization server: its issuer, the endpoint the
        // request went to, or — as OIDC Core §9 recommends and clients such as authlib send at
        // every endpoint — the token endpoint.
        let audiences = claims["aud"].map { value in value.stringValue.map { [$0] } ?? (value.arrayValue ?? []).compactMap(\.stringValue) } ?? []
        let accepted = [context.endpoint, context.issuer, context.issuer + "/token"]
        guard audiences.contains(where: accepted.contains) else {
            throw .invalidClient("the client assertion's aud must name the issuer, the token endpoint or this endpoint")
        }
        // Item 4: exp is required (checked by the validator); we also bound how far ahead.
        guard let expiration = claims["exp"]?.intValue, expiration <= context.now + Self.maxLifetime + context.clockSkew else {
            throw .invalidClient("the client assertion's exp must be at most \(Self.maxLifetime) seconds ahead")
        }
        // Item 7: "The authorization server MAY ensure that JWTs are not replayed" — we do, by jti.
        guard let jti = claims["jti"]?.stringValue, !jti.isEmpty else { throw .invalidClient("the client assertion needs a jti") }
        do {
            try context.store.useNonce("client-assertion:\(client.id):\(jti)", expiresAt: expiration + context.clockSkew)
        } catch StorageError.alreadyExists {
            throw .invalidClient("the client assertion was already used (jti replay)")
        } catch {
            throw .serverError(debug: "nonce store: \(error)")
        }
    }
}
