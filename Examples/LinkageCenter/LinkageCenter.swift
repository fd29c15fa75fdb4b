import Foundation
import HTTP
import HTTPClient
import JOSE
import JSON
import LoginKit

/// The Linkage Center pilot: a confidential web client on the project's HTTP server,
/// authenticating to the token endpoint with `private_key_jwt` (RFC 7523), showing the
/// citizen's data from userinfo.
///
/// `@unchecked Sendable`: `sessions` and `callbacks` are touched only under `lock`; the rest is
/// immutable after `init`.
final class LinkageCenter: @unchecked Sendable {
    static let clientID = "linkage-center"
    static let base = "http://127.0.0.1:8090"

    struct Session {
        let idToken: String
        let userinfo: [String: JSONValue]
        let acr: String
    }

    let rp: RelyingParty
    private let cookie = SignedCookie()
    private let lock = NSLock()
    private var sessions: [String: Session] = [:]
    private var failures = 0
    private let callbackArrived = DispatchSemaphore(value: 0)
    let say: @Sendable (String) -> Void

    init(issuer: String, key: JWK, client: HTTPClient, say: @escaping @Sendable (String) -> Void) throws {
        let provider = try OpenIDProvider.discover(issuer: issuer, client: client)
        let registration = ClientRegistration(
            clientID: Self.clientID, redirectURI: Self.base + "/callback", scope: "openid profile pid",
            authentication: .privateKeyJWT(key: key, algorithm: .es256), idTokenAlgorithm: .rs256)
        rp = RelyingParty(provider: provider, registration: registration, client: client)
        self.say = say
    }

    func register(on router: Router) {
        router.get("/") { [self] request in
            if let session = session(of: request) { return .html(200, Pages.citizen(session.userinfo, acr: session.acr)) }
            return .html(200, Pages.home)
        }
        router.get("/login") { [self] _ in login() }
        router.get("/callback") { [self] request in
            defer { callbackArrived.signal() }
            return callback(request)
        }
        router.get("/logout") { [self] request in logout(request) }
    }

    /// Starts a login: a fresh state, nonce and verifier sealed in the `lc_login` cookie.
    private func login() -> HTTPResponse {
        let session = AuthorizationSession(redirectURI: rp.registration.redirectURI)
        var response = HTTPResponse.redirect(to: rp.authorizationURL(session), status: 302)
        response.setCookie(SetCookie(name: "lc_login", value: cookie.seal(session), path: "/callback", maxAge: 600, secure: false))
        say("/login: redirecting the browser to the broker (state, nonce, PKCE S256 in a signed cookie)")
        return response
    }

    private func callback(_ request: HTTPRequest) -> HTTPResponse {
        var response: HTTPResponse
        do {
            guard let pending = cookie.open(request.cookies["lc_login"]) else {
                throw LoginKitError.validation("no valid login cookie: start again from the home page")
            }
            let code = try rp.code(fromCallback: "?" + (request.query ?? ""), session: pending)
            say("/callback: state and iss verified")
            let tokens = try rp.redeem(code: code, session: pending)
            say("/callback: code redeemed with a private_key_jwt client assertion")
            guard let idToken = tokens.idToken else { throw LoginKitError.validation("no ID token") }
            let claims = try rp.validateIDToken(idToken, nonce: pending.nonce, accessToken: tokens.accessToken)
            say("/callback: ID token valid (RS256 via JWKS, iss, aud, exp, nonce, at_hash), acr \(claims["acr"]?.stringValue ?? "?")")
            let info = try rp.userinfo(accessToken: tokens.accessToken, expectedSubject: claims["sub"]?.stringValue)
            say("/callback: userinfo returned \(info.keys.sorted().joined(separator: ", "))")
            let id = Crypto.randomToken()
            let session = Session(idToken: idToken, userinfo: info, acr: claims["acr"]?.stringValue ?? "")
            lock.withLock { sessions[id] = session }
            response = .html(200, Pages.citizen(info, acr: session.acr))
            response.setCookie(SetCookie(name: "lc_session", value: id, path: "/", secure: false))
        } catch {
            say("/callback: \(error)")
            response = .html(400, Pages.failure("\(error)"))
            lock.withLock { failures += 1 }
        }
        response.setCookie(SetCookie(name: "lc_login", value: "", path: "/callback", maxAge: 0, secure: false))
        return response
    }

    /// RP-initiated logout: forget the local session, then send the browser to the broker's
    /// `end_session_endpoint` with the ID token as hint and our registered return address.
    private func logout(_ request: HTTPRequest) -> HTTPResponse {
        let id = request.cookies["lc_session"]
        let session = lock.withLock { id.flatMap { sessions.removeValue(forKey: $0) } }
        var response: HTTPResponse
        if let session, let url = rp.logoutURL(idToken: session.idToken, postLogoutRedirectURI: Self.base + "/") {
            say("/logout: local session ended; RP-initiated logout at the broker")
            response = .redirect(to: url, status: 302)
        } else {
            response = .redirect(to: "/", status: 302)
        }
        response.setCookie(SetCookie(name: "lc_session", value: "", path: "/", maxAge: 0, secure: false))
        return response
    }

    private func session(of request: HTTPRequest) -> Session? {
        guard let id = request.cookies["lc_session"] else { return nil }
        return lock.withLock { sessions[id] }
    }

    /// How many callbacks failed so far.
    var failedCallbacks: Int { lock.withLock { failures } }

    /// Blocks until a callback has been handled (for `--once`).
    func waitForCallback() {
        callbackArrived.wait()
    }
}
