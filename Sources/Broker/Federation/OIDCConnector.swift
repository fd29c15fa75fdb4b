import Foundation
import JOSE
import JSON

/// The OpenID Connect connector: authorization code flow with PKCE, `state` and `nonce` (OIDC
/// Core §3.1), RFC 9207 `iss` checking, the code exchange with the provider's client
/// authentication, ID token verification against the upstream's JWKS, and userinfo when the ID
/// token lacks a mapped claim.
///
/// Discovery and JWKS are fetched on first use and cached: discovery for
/// `metadataLifetime`, the JWKS until a token names a `kid` it lacks — then fetched again, but
/// not sooner than `keyRefreshFloor` after the last fetch, so forged `kid`s cannot make the
/// broker hammer the upstream.
final class OIDCConnector: UpstreamConnector, @unchecked Sendable {
    // @unchecked: the caches and the in-flight count below are guarded by `lock`; everything
    // else is immutable.
    let provider: IdentityProvider
    let environment: UpstreamEnvironment
    let developmentBroker: Bool
    private let lock = NSLock()
    private var metadata: (value: OIDCProviderMetadata, fetchedAt: Int64)?
    private var keys: (value: JWKSet, fetchedAt: Int64)?
    private var inFlight = 0

    init(provider: IdentityProvider, environment: UpstreamEnvironment) {
        self.provider = provider
        self.environment = environment
        self.developmentBroker = provider.issuer.hasPrefix("http:")
    }

    // MARK: UpstreamConnector

    func authorizationURL(for login: UpstreamLogin) throws(OAuthError) -> String {
        let metadata = try providerMetadata()
        var query: [(String, String)] = [
            ("response_type", "code"), ("client_id", provider.clientID), ("redirect_uri", login.redirectURI),
            ("scope", provider.scopes.joined(separator: " ")), ("state", login.state), ("nonce", login.nonce),
            ("code_challenge", PKCE.challenge(for: login.codeVerifier)), ("code_challenge_method", "S256"),
        ]
        if !login.acrValues.isEmpty { query.append(("acr_values", login.acrValues.joined(separator: " "))) }
        if !login.uiLocales.isEmpty { query.append(("ui_locales", login.uiLocales.joined(separator: " "))) }
        let separator = metadata.authorizationEndpoint.contains("?") ? "&" : "?"
        return metadata.authorizationEndpoint + separator + FormEncoding.query(query)
    }

    func complete(callback: [String: String], for login: UpstreamLogin) throws(OAuthError) -> UpstreamIdentity {
        let metadata = try providerMetadata()
        // RFC 9207 §2.4: compare `iss` when present; when the upstream promised it, its absence
        // is an error too ("MUST reject authorization responses without the iss parameter").
        if let iss = callback["iss"] {
            guard iss == provider.issuer else {
                throw .upstreamInvalidResponse(debug: "callback iss \(iss) is not \(provider.issuer) (RFC 9207 mix-up defence)")
            }
        } else if metadata.issParameterSupported {
            throw .upstreamInvalidResponse(debug: "callback without iss although the upstream advertises it (RFC 9207)")
        }
        if let error = callback["error"] {
            throw .upstreamError(debug: "upstream error \(error): \(callback["error_description"] ?? "")")
        }
        guard let code = callback["code"], !code.isEmpty else {
            throw .upstreamInvalidResponse(debug: "callback without code")
        }
        let tokens = try exchange(code: code, login: login, metadata: metadata)
        guard let idToken = tokens["id_token"]?.stringValue else {
            throw .upstreamInvalidResponse(debug: "token response without id_token")
        }
        var claims = try verifyIDToken(idToken, nonce: login.nonce, metadata: metadata)
        guard let subject = claims["sub"]?.stringValue, !subject.isEmpty else {
            throw .upstreamInvalidResponse(debug: "ID token without sub")
        }
        let missing = provider.claims.values.contains { claims[$0] == nil }
        if missing, let endpoint = metadata.userinfoEndpoint, let accessToken = tokens["access_token"]?.stringValue {
            for (name, value) in try userInfo(endpoint: endpoint, accessToken: accessToken, subject: subject)
            where claims[name] == nil {
                claims[name] = value
            }
        }
        return UpstreamIdentity(subject: subject, claims: claims, acr: claims["acr"]?.stringValue)
    }

    // MARK: Metadata and keys

    private func providerMetadata() throws(OAuthError) -> OIDCProviderMetadata {
        let now = environment.clock.now
        if let cached = lock.withLock({ metadata }), now - cached.fetchedAt < environment.metadataLifetime {
            return cached.value
        }
        let document: JSONValue
        do {
            document = try json(UpstreamRequest(url: provider.issuer + "/.well-known/openid-configuration",
                                                headers: [("Accept", "application/json")], timeout: environment.timeout),
                                what: "discovery")
        } catch {
            // A stale copy beats no login at all while the upstream's discovery is briefly away.
            if let cached = lock.withLock({ metadata }) { return cached.value }
            throw error
        }
        let fresh = try OIDCProviderMetadata(document, expectedIssuer: provider.issuer, developmentBroker: developmentBroker)
        lock.withLock { metadata = (fresh, now) }
        return fresh
    }

    /// The cached JWKS; fetched when there is none, or when `refresh` and the floor has passed.
    /// Returns nil when a refresh was asked but the floor forbids it.
    private func keySet(_ metadata: OIDCProviderMetadata, refresh: Bool) throws(OAuthError) -> JWKSet? {
        let now = environment.clock.now
        let cached = lock.withLock { keys }
        if let cached {
            if !refresh { return cached.value }
            guard now - cached.fetchedAt >= environment.keyRefreshFloor else { return nil }
        }
        let document = try json(UpstreamRequest(url: metadata.jwksURI, headers: [("Accept", "application/json")],
                                                 timeout: environment.timeout), what: "JWKS")
        let set: JWKSet
        do { set = try JWKSet(json: document) } catch { throw .upstreamInvalidResponse(debug: "JWKS: \(error)") }
        lock.withLock { keys = (set, now) }
        return set
    }

    // MARK: ID token (OIDC Core §3.1.3.7)

    private func verifyIDToken(_ token: String, nonce: String, metadata: OIDCProviderMetadata) throws(OAuthError) -> [String: JSONValue] {
        let now = environment.clock.now
        // Items 2, 3, 9, 10: iss, aud, exp and iat (required) by the JWT validator.
        let validator = JWTClaimsValidator(issuer: provider.issuer, audience: provider.clientID, now: now,
                                           leeway: environment.clockSkew, requireExpiration: true, requireIssuedAt: true)
        var set = try keySet(metadata, refresh: false)
        var claims: [String: JSONValue]?
        for attempt in 0..<2 {
            guard let keys = set else { break }
            do {
                // Items 6-8: the signature, with an alg from the upstream's discovery that the
                // broker allows (JOSE knows no `none` and no HMAC), by a key bound to that alg.
                claims = try JWT.verify(token, allowed: metadata.signingAlgorithms, validator: validator) { header throws(JOSEError) in
                    try keys.keys.verificationKey(for: header)
                }.claims
                break
            } catch .keyNotFound where attempt == 0 {
                set = try keySet(metadata, refresh: true)
            } catch {
                throw .upstreamInvalidResponse(debug: "ID token: \(error)")
            }
        }
        guard let claims else { throw .upstreamInvalidResponse(debug: "ID token: no upstream key matches its kid") }
        // Items 4 and 5: several audiences need an `azp`; an `azp` must be our client id.
        let audiences = claims["aud"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if audiences.count > 1, claims["azp"] == nil {
            throw .upstreamInvalidResponse(debug: "ID token with several audiences and no azp")
        }
        if let azp = claims["azp"], azp.stringValue != provider.clientID {
            throw .upstreamInvalidResponse(debug: "ID token azp is not our client id")
        }
        // Item 10: "The iat Claim can be used to reject tokens that were issued too far away
        // from the current time".
        if let iat = claims["iat"]?.intValue, now - iat > environment.maxTokenAge + environment.clockSkew {
            throw .upstreamInvalidResponse(debug: "ID token iat is \(now - iat) s old")
        }
        // Item 11: the nonce must be the one this login sent.
        guard let sent = claims["nonce"]?.stringValue,
              Crypto.constantTimeEquals(Array(sent.utf8), Array(nonce.utf8)) else {
            throw .upstreamInvalidResponse(debug: "ID token nonce does not match this login")
        }
        return claims
    }

    // MARK: Calls

    /// The code exchange (OIDC Core §3.1.3.1) with the provider's client authentication.
    private func exchange(code: String, login: UpstreamLogin, metadata: OIDCProviderMetadata) throws(OAuthError) -> [String: JSONValue] {
        var form: [(String, String)] = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", login.redirectURI),
            ("code_verifier", login.codeVerifier),
        ]
        var headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        switch provider.authentication {
        case .clientSecretBasic(let secret):
            // RFC 6749 §2.3.1: both parts form-encoded before base64.
            let pair = FormEncoding.escape(provider.clientID) + ":" + FormEncoding.escape(secret)
            headers.append(("Authorization", "Basic " + Data(pair.utf8).base64EncodedString()))
        case .clientSecretPost(let secret):
            form += [("client_id", provider.clientID), ("client_secret", secret)]
        case .privateKeyJWT(let key, let algorithm):
            let now = environment.clock.now
            let assertion: String
            do {
                assertion = try JWT.sign(claims: [
                    "iss": .string(provider.clientID), "sub": .string(provider.clientID), "aud": .string(metadata.tokenEndpoint),
                    "jti": .string(environment.random.token()), "iat": .int(now), "exp": .int(now + 60),
                ], key: key, algorithm: algorithm)
            } catch {
                throw .serverError(debug: "signing the client assertion for \(provider.id): \(error)")
            }
            form += [("client_id", provider.clientID),
                     ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                     ("client_assertion", assertion)]
        }
        let request = UpstreamRequest(method: "POST", url: metadata.tokenEndpoint, headers: headers,
                                      body: Array(FormEncoding.query(form).utf8), timeout: environment.timeout)
        let response = try send(request)
        let body = try? JSONValue(parsing: response.body)
        guard response.status == 200 else {
            if let error = body?["error"]?.stringValue {
                throw .upstreamError(debug: "token endpoint \(response.status) \(error): \(body?["error_description"]?.stringValue ?? "")")
            }
            throw .upstreamUnavailable(debug: "token endpoint answered \(response.status)")
        }
        guard let object = body?.objectValue else { throw .upstreamInvalidResponse(debug: "token response is not a JSON object") }
        return object
    }

    /// The UserInfo response (OIDC Core §5.3.2: its `sub` must be the ID token's).
    private func userInfo(endpoint: String, accessToken: String, subject: String) throws(OAuthError) -> [String: JSONValue] {
        let document = try json(UpstreamRequest(url: endpoint, headers: [("Authorization", "Bearer " + accessToken),
                                                                         ("Accept", "application/json")],
                                                timeout: environment.timeout), what: "userinfo")
        guard let claims = document.objectValue, claims["sub"]?.stringValue == subject else {
            throw .upstreamInvalidResponse(debug: "userinfo sub does not match the ID token")
        }
        return claims
    }

    private func json(_ request: UpstreamRequest, what: String) throws(OAuthError) -> JSONValue {
        let response = try send(request)
        guard response.status == 200 else { throw .upstreamUnavailable(debug: "\(what) answered \(response.status)") }
        do { return try JSONValue(parsing: response.body) } catch {
            throw .upstreamInvalidResponse(debug: "\(what) is not JSON")
        }
    }

    /// One outbound call, refused at once when `maxConcurrentCalls` to this upstream are
    /// already waiting: a slow upstream then holds a bounded number of threads, and logins
    /// through other upstreams or the phone go on.
    private func send(_ request: UpstreamRequest) throws(OAuthError) -> UpstreamResponse {
        let admitted = lock.withLock { () -> Bool in
            guard inFlight < environment.maxConcurrentCalls else { return false }
            inFlight += 1
            return true
        }
        guard admitted else { throw .upstreamUnavailable(debug: "\(provider.id): too many calls in flight") }
        defer { lock.withLock { inFlight -= 1 } }
        do {
            return try environment.http.send(request)
        } catch {
            throw .upstreamUnavailable(debug: "\(provider.id) \(request.url): \(error)")
        }
    }
}
