import Foundation
import HTTPClient
import JOSE
import JSON

/// The relying-party side of the authorization code flow (OIDC Core §3.1) against a provider
/// found through discovery: building the request, reading the callback, redeeming the code,
/// validating the ID token, calling userinfo, refreshing and logging out.
public struct RelyingParty: Sendable {
    public let provider: OpenIDProvider
    public let registration: ClientRegistration
    public let client: HTTPClient

    public init(provider: OpenIDProvider, registration: ClientRegistration, client: HTTPClient) {
        self.provider = provider
        self.registration = registration
        self.client = client
    }

    /// The authorization URL for `session`: `response_type=code`, the registered scope, S256
    /// PKCE, `state`, `nonce`, plus `extra` parameters (e.g. `prompt`, `acr_values`).
    public func authorizationURL(_ session: AuthorizationSession, extra: [(String, String)] = []) -> String {
        let pairs: [(String, String)] = [
            ("response_type", "code"), ("client_id", registration.clientID), ("redirect_uri", session.redirectURI),
            ("scope", registration.scope), ("state", session.state), ("nonce", session.nonce),
            ("code_challenge", session.codeChallenge), ("code_challenge_method", "S256"),
        ] + extra
        let separator = provider.authorizationEndpoint.contains("?") ? "&" : "?"
        return provider.authorizationEndpoint + separator + URLForm.encode(pairs)
    }

    /// The code from a callback URL (or its query), after the checks a client must make:
    /// `error` is reported as such; exactly one `state`, equal to the session's (RFC 6749
    /// §10.12); `iss` equal to the issuer (RFC 9207 §2.4 — the broker advertises
    /// `authorization_response_iss_parameter_supported`, so a missing `iss` is refused too).
    public func code(fromCallback url: String, session: AuthorizationSession) throws(LoginKitError) -> String {
        let (values, duplicates) = try URLForm.decode(URLForm.query(of: url))
        guard duplicates.isEmpty else { throw .validation("callback repeats \(duplicates.joined(separator: ", "))") }
        guard values["state"] == session.state else { throw .validation("callback state does not match the request") }
        guard values["iss"] == provider.issuer else { throw .validation("callback iss \(values["iss"] ?? "(none)") is not the issuer") }
        if let error = values["error"] { throw .authorizationError(code: error, description: values["error_description"]) }
        guard let code = values["code"], !code.isEmpty else { throw .validation("callback without code") }
        return code
    }

    /// Redeems `code` with the session's PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5).
    public func redeem(code: String, session: AuthorizationSession) throws(LoginKitError) -> TokenSet {
        try tokenRequest([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", session.redirectURI),
                          ("code_verifier", session.codeVerifier)], step: "token (authorization_code)")
    }

    /// Uses a refresh token (RFC 6749 §6); the answer carries the rotated one.
    public func refresh(_ refreshToken: String) throws(LoginKitError) -> TokenSet {
        try tokenRequest([("grant_type", "refresh_token"), ("refresh_token", refreshToken)], step: "token (refresh_token)")
    }

    /// The raw answer of the token endpoint, for callers that expect a refusal.
    public func tokenAnswer(_ parameters: [(String, String)]) throws(LoginKitError) -> JSONAnswer {
        try client.callJSON("POST", provider.tokenEndpoint, form: parameters + (try authenticationParameters()))
    }

    func tokenRequest(_ parameters: [(String, String)], step: String) throws(LoginKitError) -> TokenSet {
        try TokenSet(try tokenAnswer(parameters).object(step: step))
    }

    /// `client_id` for a public client; for `private_key_jwt` a fresh client assertion
    /// (RFC 7523 §3: `iss` = `sub` = client id, `aud` = the token endpoint, a unique `jti`,
    /// `exp` 60 s ahead, `iat`) with `client_assertion_type` (RFC 7521 §4.2).
    func authenticationParameters() throws(LoginKitError) -> [(String, String)] {
        switch registration.authentication {
        case .none:
            return [("client_id", registration.clientID)]
        case .privateKeyJWT(let key, let algorithm):
            let now = Int64(Date().timeIntervalSince1970)
            let claims: [String: JSONValue] = [
                "iss": .string(registration.clientID), "sub": .string(registration.clientID),
                "aud": .string(provider.tokenEndpoint), "jti": .string(Crypto.randomToken(bytes: 16)),
                "iat": .int(now), "exp": .int(now + 60),
            ]
            let assertion: String
            do { assertion = try JWT.sign(claims: claims, key: key, algorithm: algorithm) } catch {
                throw .usage("cannot sign the client assertion: \(error)")
            }
            return [("client_id", registration.clientID),
                    ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                    ("client_assertion", assertion)]
        }
    }

    /// Calls userinfo with the access token as a bearer (OIDC Core §5.3) and checks that its
    /// `sub` is the ID token's (§5.3.2: "the sub Claim in the UserInfo Response MUST be verified
    /// to exactly match the sub Claim in the ID Token").
    public func userinfo(accessToken: String, expectedSubject: String?) throws(LoginKitError) -> [String: JSONValue] {
        let claims = try client.callJSON("GET", provider.userinfoEndpoint, headers: [("Authorization", "Bearer " + accessToken)])
            .object(step: "userinfo")
        if let expectedSubject, claims["sub"]?.stringValue != expectedSubject {
            throw .validation("userinfo sub is not the ID token's sub")
        }
        return claims
    }

    /// The RP-initiated logout URL (OpenID Connect RP-Initiated Logout 1.0 §2), or nil when the
    /// provider has no `end_session_endpoint`.
    public func logoutURL(idToken: String, postLogoutRedirectURI: String?, state: String? = nil) -> String? {
        guard let endpoint = provider.endSessionEndpoint else { return nil }
        var pairs: [(String, String)] = [("id_token_hint", idToken), ("client_id", registration.clientID)]
        if let postLogoutRedirectURI { pairs.append(("post_logout_redirect_uri", postLogoutRedirectURI)) }
        if let state { pairs.append(("state", state)) }
        return endpoint + (endpoint.contains("?") ? "&" : "?") + URLForm.encode(pairs)
    }
}
