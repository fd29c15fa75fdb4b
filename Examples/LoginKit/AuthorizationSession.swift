import JOSE

/// The secrets one authorization request keeps until its callback: `state` (CSRF, RFC 6749
/// §10.12), `nonce` (replay, OIDC Core §3.1.2.1) and the PKCE verifier (RFC 7636 §4.1).
public struct AuthorizationSession: Sendable {
    public let state: String
    public let nonce: String
    /// 32 random bytes, base64url: 43 characters of the unreserved alphabet (RFC 7636 §4.1).
    public let codeVerifier: String
    public let redirectURI: String

    public init(redirectURI: String, state: String = Crypto.randomToken(), nonce: String = Crypto.randomToken(),
                codeVerifier: String = Crypto.randomToken(bytes: 32)) {
        self.state = state
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.redirectURI = redirectURI
    }

    /// `BASE64URL(SHA256(ASCII(code_verifier)))` (RFC 7636 §4.2, S256).
    public var codeChallenge: String {
        Base64URL.encode(Crypto.sha256(Array(codeVerifier.utf8)))
    }
}
