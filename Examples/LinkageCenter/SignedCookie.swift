import JOSE
import LoginKit
import JSON

/// The login cookie: `state`, `nonce` and the PKCE verifier between `/login` and `/callback`,
/// kept in the browser as `base64url(JSON) "." base64url(HMAC-SHA256)` under a key that lives
/// as long as the process, so the server keeps nothing per pending login and a cookie cannot be
/// forged or altered.
struct SignedCookie: Sendable {
    private let key = Crypto.randomBytes(32)

    func seal(_ session: AuthorizationSession) -> String {
        let payload = Base64URL.encode(JSONValue.object([
            "state": .string(session.state), "nonce": .string(session.nonce),
            "verifier": .string(session.codeVerifier), "redirect_uri": .string(session.redirectURI),
        ]).serialized())
        return payload + "." + Base64URL.encode(Crypto.hmacSHA256(key: key, data: Array(payload.utf8)))
    }

    /// The session sealed in `value`, or nil when the value is missing, malformed or not ours.
    func open(_ value: String?) -> AuthorizationSession? {
        guard let value, let dot = value.firstIndex(of: ".") else { return nil }
        let payload = value[..<dot]
        guard let mac = try? Base64URL.decode(value[value.index(after: dot)...]),
              Crypto.constantTimeEquals(mac, Crypto.hmacSHA256(key: key, data: Array(payload.utf8))),
              let bytes = try? Base64URL.decode(payload), let json = try? JSONValue(parsing: bytes),
              let state = json["state"]?.stringValue, let nonce = json["nonce"]?.stringValue,
              let verifier = json["verifier"]?.stringValue, let redirectURI = json["redirect_uri"]?.stringValue
        else { return nil }
        return AuthorizationSession(redirectURI: redirectURI, state: state, nonce: nonce, codeVerifier: verifier)
    }
}
