import Foundation
import HTTPClient
import JOSE
import JSON
import LoginKit

/// A counter-service desk: a confidential client (`private_key_jwt`) that signs a citizen in
/// through CIBA (OpenID CIBA Core 1.0) — the clerk types the citizen ID, the broker pushes the
/// request to the citizen's phone, and the desk gets tokens once the citizen approves there.
struct CounterDesk {
    enum Mode: String {
        case poll, ping
    }

    /// What a successful sign-in gives the clerk.
    struct Outcome {
        let claims: [String: JSONValue]
        let userinfo: [String: JSONValue]
    }

    /// The token answer's members the desk uses (RFC 6749 §5.1, OIDC Core §3.1.3.3).
    struct Tokens {
        let accessToken: String
        let idToken: String

        init(_ answer: [String: JSONValue]) throws {
            guard let accessToken = answer["access_token"]?.stringValue, answer["token_type"]?.stringValue?.lowercased() == "bearer",
                  let idToken = answer["id_token"]?.stringValue
            else { throw LoginKitError.validation("the token answer lacks access_token, a Bearer token_type or id_token") }
            self.accessToken = accessToken
            self.idToken = idToken
        }
    }

    let rp: RelyingParty
    let backchannelEndpoint: String
    let key: JWK
    let say: (String) -> Void

    /// `idTokenAlgorithm` is the client's registered `id_token_signed_response_alg`.
    init(issuer: String, clientID: String, key: JWK, idTokenAlgorithm: JWSAlgorithm, client: HTTPClient,
         say: @escaping (String) -> Void) throws {
        let provider = try OpenIDProvider.discover(issuer: issuer, client: client)
        guard let endpoint = provider.document["backchannel_authentication_endpoint"]?.stringValue else {
            throw LoginKitError.validation("the broker's discovery has no backchannel_authentication_endpoint")
        }
        let algorithm = key.algorithm ?? .es256
        rp = RelyingParty(provider: provider, registration: ClientRegistration(
            clientID: clientID, redirectURI: "", scope: "openid profile", authentication: .privateKeyJWT(key: key, algorithm: algorithm),
            idTokenAlgorithm: idTokenAlgorithm), client: client)
        backchannelEndpoint = endpoint
        self.key = key
        self.say = say
    }

    /// The whole desk flow: `/bc-authorize`, then tokens by polling or after the ping, then the
    /// ID token checks and userinfo.
    func signIn(citizenID: String, bindingMessage: String, scope: String, mode: Mode,
                ping: PingReceiver?) throws -> Outcome {
        let notificationToken = Crypto.randomToken(bytes: 32)
        var parameters = [("scope", scope), ("login_hint", citizenID), ("binding_message", bindingMessage)]
        if mode == .ping { parameters.append(("client_notification_token", notificationToken)) }
        let answer = try rp.client.callJSON("POST", backchannelEndpoint, form: parameters + (try clientAuthentication()))
        if let error = answer.error {  // §13: unknown_user_id, invalid_binding_message, access_denied, …
            let description = answer.json?["error_description"]?.stringValue.map { ": \($0)" } ?? ""
            throw LoginKitError.validation("bc-authorize refused: \(error)\(description)")
        }
        // §7.3: auth_req_id and expires_in are required; interval defaults to 5 s.
        let started = try answer.object(step: "bc-authorize")
        guard let authReqID = started["auth_req_id"]?.stringValue, !authReqID.isEmpty,
              let expiresIn = started["expires_in"]?.intValue, expiresIn > 0
        else { throw LoginKitError.validation("bc-authorize answered without auth_req_id or expires_in") }
        let interval = max(1, started["interval"]?.intValue ?? 5)
        ping?.expect(authReqID: authReqID, token: notificationToken)
        say("ask the citizen to approve on the phone: \(bindingMessage)")

        let tokens: Tokens
        if mode == .ping, let ping {
            tokens = try awaitPing(authReqID, receiver: ping, interval: interval, expiresIn: expiresIn)
        } else {
            tokens = try poll(authReqID, interval: interval, expiresIn: expiresIn)
        }
        let claims = try rp.validateIDToken(tokens.idToken, nonce: nil, accessToken: tokens.accessToken)
        let userinfo = try rp.userinfo(accessToken: tokens.accessToken, expectedSubject: claims["sub"]?.stringValue)
        return Outcome(claims: claims, userinfo: userinfo)
    }

    /// Poll mode (§7.3, §11): a token request every `interval` seconds until the citizen
    /// decides; `slow_down` adds 5 s to the interval for good (RFC 8628 §3.5, which CIBA
    /// borrows); the request dies at `expires_in`.
    func poll(_ authReqID: String, interval: Int64, expiresIn: Int64) throws -> Tokens {
        let deadline = Date().addingTimeInterval(Double(expiresIn))
        var wait = interval
        while Date() < deadline {
            Thread.sleep(forTimeInterval: Double(wait))
            if let tokens = try redeem(authReqID, slowDown: { wait += 5 }) { return tokens }
        }
        throw LoginKitError.validation("the request expired before the citizen decided")
    }

    /// Ping mode (§10.2): wait for the broker's notification, then redeem once. Should a ping be
    /// lost, a token request every 30 s still finds the outcome (the broker keeps it to expiry).
    func awaitPing(_ authReqID: String, receiver: PingReceiver, interval: Int64, expiresIn: Int64) throws -> Tokens {
        let deadline = Date().addingTimeInterval(Double(expiresIn))
        var safety = max(30, interval)
        while Date() < deadline {
            let pinged = receiver.wait(for: authReqID, timeout: min(Double(safety), deadline.timeIntervalSinceNow))
            if pinged { say("the broker pinged: redeeming") }
            if let tokens = try redeem(authReqID, slowDown: { safety += 5 }) { return tokens }
            if pinged { throw LoginKitError.validation("pinged, but the token endpoint still says pending") }
        }
        throw LoginKitError.validation("the request expired before the citizen decided")
    }

    /// One CIBA grant request (§10.1): tokens, nil while `authorization_pending`/`slow_down`,
    /// or the error (`access_denied`, `expired_token`, …) as a failure.
    func redeem(_ authReqID: String, slowDown: () -> Void) throws -> Tokens? {
        let answer = try rp.tokenAnswer([("grant_type", "urn:openid:params:grant-type:ciba"), ("auth_req_id", authReqID)])
        switch answer.error {
        case nil: return try Tokens(try answer.object(step: "CIBA token"))
        case "authorization_pending": return nil
        case "slow_down":
            slowDown()
            return nil
        case "access_denied": throw LoginKitError.validation("the citizen declined on the phone (access_denied)")
        case let error?:
            let description = answer.json?["error_description"]?.stringValue.map { ": \($0)" } ?? ""
            throw LoginKitError.validation("the token endpoint refused: \(error)\(description)")
        }
    }

    /// `private_key_jwt` for `/bc-authorize` (§7.1): the same assertion as at the token
    /// endpoint, with the issuer as `aud` — CIBA says "the OP's Issuer Identifier URL SHOULD be
    /// used as the value of the audience".
    func clientAuthentication() throws -> [(String, String)] {
        let clientID = rp.registration.clientID
        let now = Int64(Date().timeIntervalSince1970)
        let claims: [String: JSONValue] = [
            "iss": .string(clientID), "sub": .string(clientID), "aud": .string(rp.provider.issuer),
            "jti": .string(Crypto.randomToken(bytes: 16)), "iat": .int(now), "exp": .int(now + 60),
        ]
        return [("client_id", clientID), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", try JWT.sign(claims: claims, key: key, algorithm: key.algorithm ?? .es256))]
    }
}
