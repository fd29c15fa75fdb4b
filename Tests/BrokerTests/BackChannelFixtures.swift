import Foundation
import JOSE
import JSON
import Storage
@testable import Broker

/// A broker with four back-channel test clients, a proofed citizen, and helpers that create
/// authorization codes directly in the store (as the front channel would).
struct BackChannelFixture {
    let t: TestBroker
    /// The private key of `web-a`'s private_key_jwt.
    let webAKey: JWK
    var broker: Broker { t.broker }
    var clock: TestClock { t.clock }
    static let citizen = Citizens.a

    init() throws {
        t = try TestBroker()
        webAKey = try JWK.generate(for: .es256, kid: "web-a-1")
        let validator = t.broker.configuration.clientValidator
        let documents: [JSONValue] = [
            ["client_id": "web-a", "application_type": "web", "token_endpoint_auth_method": "private_key_jwt",
             "redirect_uris": ["https://a.example/cb"], "grant_types": ["authorization_code", "refresh_token"],
             "scope": "openid profile pid offline_access", "id_token_signed_response_alg": "ES256",
             "jwks": JWKSet(keys: [webAKey.publicKey]).json()],
            ["client_id": "web-b", "application_type": "web", "token_endpoint_auth_method": "client_secret_post",
             "client_secret": "b-secret", "redirect_uris": ["https://b.example/cb"],
             "grant_types": ["authorization_code", "refresh_token"], "id_token_signed_response_alg": "EdDSA"],
            ["client_id": "native", "application_type": "native", "token_endpoint_auth_method": "none",
             "redirect_uris": ["http://127.0.0.1/callback"], "grant_types": ["authorization_code", "refresh_token"],
             "scope": "openid profile offline_access", "id_token_signed_response_alg": "ES256"],
            ["client_id": "partner", "token_endpoint_auth_method": "client_secret_basic", "client_secret": "p-secret",
             "grant_types": ["client_credentials"], "scope": "partner.read partner.write"],
        ]
        for document in documents { t.broker.clients.add(try validator.validateFile(document)) }
        try t.broker.store.upsertCitizen(CitizenRecord(
            id: Self.citizen, givenNameTH: "สมหญิง", givenNameEN: "Somying", familyNameTH: "ใจดี", familyNameEN: "Jaidee",
            birthdate: "1990-05-17", ial: "2.3", createdAt: t.clock.now, updatedAt: t.clock.now))
    }

    struct IssuedCode {
        let code: String
        let verifier: String
        let redirectURI: String
        let grantID: String
    }

    /// An authorization code for `client`, exactly as the front channel stores it.
    func code(client: String, redirectURI: String, scopes: [String] = ["openid", "profile", "offline_access"],
              nonce: String? = "n-0S6", claims: String? = nil, pkce: Bool = true) throws -> IssuedCode {
        let code = Crypto.randomToken()
        let verifier = Crypto.randomToken() + "-._~"
        let grantID = "grt_" + Crypto.randomToken(bytes: 16)
        let assurance = Assurance(ial: "2.3", aal: Assurance.deviceApprovalAAL)
        try broker.store.addAuthorizationCode(AuthorizationCodeRecord(
            id: SecretHash.of(code), clientID: client, redirectURI: redirectURI, citizenID: Self.citizen, scopes: scopes,
            nonce: nonce, codeChallenge: pkce ? PKCE.challenge(for: verifier) : nil, codeChallengeMethod: pkce ? "S256" : nil,
            claims: claims, authTime: clock.now - 5, acr: assurance.acr, amr: Assurance.deviceApprovalAMR, sessionID: "sid-1",
            grantID: grantID, createdAt: clock.now, expiresAt: clock.now + 60))
        return IssuedCode(code: code, verifier: verifier, redirectURI: redirectURI, grantID: grantID)
    }

    /// A `private_key_jwt` assertion of `web-a` (RFC 7523 §3).
    func assertion(key: JWK? = nil, algorithm: JWSAlgorithm = .es256, audience: String? = nil, jti: String = UUID().uuidString,
                   lifetime: Int64 = 60, subject: String = "web-a") throws -> String {
        let now = clock.now
        return try JWT.sign(
            claims: ["iss": "web-a", "sub": .string(subject), "aud": .string(audience ?? broker.configuration.issuer + "/token"),
                     "iat": .int(now), "exp": .int(now + lifetime), "jti": .string(jti)],
            key: key ?? webAKey, algorithm: algorithm)
    }

    func webACredentials(_ assertion: String) -> ClientCredentials {
        ClientCredentials(assertionType: PrivateKeyJWT.assertionType, assertion: assertion)
    }

    /// Redeems `code` for `client` with the given credentials.
    func redeem(_ code: IssuedCode, credentials: ClientCredentials, verifier: String? = nil,
                redirectURI: String? = nil) throws(OAuthError) -> TokenResponse {
        try broker.tokenEndpoint.token(TokenRequest(
            grantType: "authorization_code",
            parameters: ["code": code.code, "code_verifier": verifier ?? code.verifier, "redirect_uri": redirectURI ?? code.redirectURI],
            credentials: credentials))
    }

    func refresh(_ token: String, credentials: ClientCredentials, scope: String? = nil) throws(OAuthError) -> TokenResponse {
        var parameters = ["refresh_token": token]
        if let scope { parameters["scope"] = scope }
        return try broker.tokenEndpoint.token(TokenRequest(grantType: "refresh_token", parameters: parameters, credentials: credentials))
    }

    static let native = ClientCredentials(clientID: "native")
    static let webB = ClientCredentials(clientID: "web-b", clientSecret: "b-secret")
    static let partner = ClientCredentials(basic: .init(clientID: "partner", secret: "p-secret"))

    /// The claims of a JWT, unverified (the tests verify separately where it matters).
    static func claims(_ token: String) throws -> JSONValue {
        try JSONValue(parsing: JWS.decodeUnverified(token).payload)
    }

    /// Verifies an ID or access token against the broker's published keys.
    func verify(_ token: String) throws -> JSONValue {
        let keys = broker.keys.publishedKeys
        let verified = try JWS.verify(token, allowed: Set(JWSAlgorithm.allCases)) { header throws(JOSEError) in
            guard let key = keys.first(where: { $0.kid == header.kid }) else { throw .keyNotFound }
            return key
        }
        return try JSONValue(parsing: verified.payload)
    }
}

/// The `OAuthError` a throwing expression produced, or nil.
func oauthError<T>(_ body: () throws(OAuthError) -> T) -> OAuthError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
