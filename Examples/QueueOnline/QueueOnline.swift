import Foundation
import HTTPClient
import JSON
import LoginKit

/// The Queue Online pilot: a native public client (RFC 8252) that signs a citizen in through
/// the broker with PKCE and books a queue slot with the claims it receives.
struct QueueOnline {
    static let clientID = "queue-online"

    let issuer: String
    let client = HTTPClient.loopback()
    let say: (String) -> Void

    /// One whole sign-in. With `automation`, the scripted browser and simulated device play the
    /// citizen; otherwise the URL is printed for a person to open.
    func signInAndBook(automation: (citizenID: String, device: SimulatedDevice)?) throws -> String {
        let provider = try OpenIDProvider.discover(issuer: issuer, client: client)
        say("discovered \(provider.issuer): authorization \(provider.authorizationEndpoint), token \(provider.tokenEndpoint)")
        let listener = try LoopbackCallback()
        defer { listener.stop() }
        let registration = ClientRegistration(clientID: Self.clientID, redirectURI: "http://127.0.0.1/callback",
                                              scope: "openid profile", authentication: .none, idTokenAlgorithm: .es256)
        let rp = RelyingParty(provider: provider, registration: registration, client: client)
        let session = AuthorizationSession(redirectURI: listener.redirectURI)
        let url = rp.authorizationURL(session)
        say("listening for the callback on \(listener.redirectURI)")
        say("open this URL in a browser to sign in:\n  \(url)")

        if let automation {
            let browser = BrowserAgent(client: client)
            var login = ScriptedLogin(browser: browser, device: automation.device, client: client)
            login.onStep = { step, seconds, detail in say(String(format: "  [browser] %@ %6.1f ms  %@", step.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0), seconds * 1000, detail)) }
            let callback = try login.run(authorizationURL: url, redirectPrefix: listener.redirectURI)
            _ = try browser.open(callback)   // the browser lands on our listener, like a real one
        }
        guard let query = listener.wait(timeout: automation == nil ? 300 : 30) else {
            throw LoginKitError.validation("no callback arrived")
        }
        let code = try rp.code(fromCallback: "?" + query, session: session)
        say("callback: state and iss verified, got an authorization code")
        let tokens = try rp.redeem(code: code, session: session)
        say("token: redeemed the code with the PKCE verifier (\(tokens.expiresIn.map { "access token for \($0) s" } ?? "access token"))")
        guard let idToken = tokens.idToken else { throw LoginKitError.validation("no ID token in the token response") }
        let claims = try rp.validateIDToken(idToken, nonce: session.nonce, accessToken: tokens.accessToken)
        let subject = claims["sub"]?.stringValue ?? ""
        say("ID token: signature (JWKS), iss, aud, exp, nonce, at_hash valid; acr \(claims["acr"]?.stringValue ?? "?"), sub \(subject.prefix(12))…")
        let info = try rp.userinfo(accessToken: tokens.accessToken, expectedSubject: subject)
        let given = info["given_name"]?.stringValue ?? "?"
        let family = info["family_name"]?.stringValue ?? "?"
        let slot = Int.random(in: 1...200)
        return "booked queue slot \(slot) for \(given) \(family)"
    }
}
