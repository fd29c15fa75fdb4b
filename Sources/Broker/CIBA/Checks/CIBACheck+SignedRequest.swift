import JOSE
import JSON
import Storage

extension CIBACheck {
    /// The longest a signed authentication request may live (`exp − iat`, and how old `nbf`
    /// may be): FAPI-CIBA §5.2.2 item 4 / FAPI 1.0 Advanced: "no longer than 60 minutes".
    static let maxSignedRequestLifetime: Int64 = 3_600

    /// Signed authentication requests (CIBA Core §7.1.1): "the authentication request
    /// parameters MUST be … in a JWT … passed as … the request parameter". It is signed by a key
    /// of the client with the algorithm it registered as
    /// `backchannel_authentication_request_signing_alg` (else one its key allows), and carries
    /// `aud` (our issuer), `iss` (the client), `exp`, `iat`, `nbf` and a single-use `jti`. The
    /// parameters are then taken only from inside the JWT: any outside the client
    /// authentication ones is refused. A client that registered a signing algorithm must sign.
    static let signedRequest = CIBACheck("request") { context throws(OAuthError) in
        let client = context.client
        guard let request = context.value("request") else {
            if let alg = client.backchannelAuthenticationRequestSigningAlg {
                throw .invalidRequest("this client registered backchannel_authentication_request_signing_alg \(alg.rawValue): send a signed request")
            }
            return
        }
        let outside = context.parameters.keys.filter { $0 != "request" && !CIBAContext.clientAuthenticationParameters.contains($0) }
        if let name = outside.sorted().first {
            throw .invalidRequest("with a signed request, \(name) must be inside the request JWT only")
        }
        guard let keys = client.jwks else { throw .invalidRequest("this client has no registered keys to verify a signed request") }
        let allowed = client.backchannelAuthenticationRequestSigningAlg.map { [$0] } ?? ClientMetadataValidator.assertionAlgorithms
        var validator = JWTClaimsValidator(issuer: client.id, audience: context.configuration.issuer, now: context.now,
                                           leeway: context.configuration.clockSkew, requireIssuedAt: true)
        validator.maxLifetime = maxSignedRequestLifetime
        let claims: [String: JSONValue]
        do {
            claims = try JWT.verify(request, allowed: allowed, validator: validator) { header throws(JOSEError) in
                try keys.keys.verificationKey(for: header)
            }.claims
        } catch {
            throw .invalidRequest("the signed request is not valid", debug: "\(client.id): \(error)")
        }
        guard let notBefore = claims["nbf"]?.intValue else { throw .invalidRequest("the signed request needs nbf") }
        guard notBefore >= context.now - maxSignedRequestLifetime else {
            throw .invalidRequest("the signed request's nbf is more than \(maxSignedRequestLifetime) seconds ago")
        }
        guard let jti = claims["jti"]?.stringValue, !jti.isEmpty, jti.utf8.count <= 256 else {
            throw .invalidRequest("the signed request needs a jti")
        }
        let expiry = claims["exp"]?.intValue ?? context.now
        do {
            try context.store.useNonce("ciba-request:\(client.id):\(jti)", expiresAt: expiry + context.configuration.clockSkew)
        } catch StorageError.alreadyExists {
            throw .invalidRequest("the signed request was already used (jti replay)")
        } catch {
            throw .serverError(debug: "nonce store: \(error)")
        }
        var parameters: [String: String] = [:]
        for (name, value) in claims where !["iss", "aud", "exp", "iat", "nbf", "jti"].contains(name) {
            switch value {
            case .string(let text): parameters[name] = text
            case .int(let number): parameters[name] = String(number)
            default: throw .invalidRequest("the signed request's \(name) must be a string")
            }
        }
        context.parameters = parameters
        context.signed = true
    }
}
