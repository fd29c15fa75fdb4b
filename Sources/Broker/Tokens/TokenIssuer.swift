import JOSE
import JSON

/// Signs the broker's tokens: RFC 9068 access tokens and OIDC Core §2 ID tokens.
///
/// The token endpoint's throughput is the signature's, so claims are written straight into
/// bytes (`ClaimsWriter`) and the protected header is assembled by hand.
public struct TokenIssuer: Sendable {
    public let issuer: String
    public let lifetimes: TokenLifetimes
    let keys: KeyManager
    let random: any RandomSource

    /// A signed access token and what the caller needs to know about it.
    public struct AccessToken: Sendable {
        public let token: String
        public let jti: String
        public let issuedAt: Int64
        public let expiresAt: Int64
    }

    /// The claims of an access token that differ per issuance.
    public struct AccessTokenContent: Sendable {
        public var subject: String
        public var clientID: String
        public var scopes: [String]
        public var authTime: Int64?
        public var acr: String?
        public var amr: [String]?
        /// The grant the token belongs to (private claim `gid`); nil for client_credentials.
        public var grantID: String?

        public init(subject: String, clientID: String, scopes: [String], authTime: Int64? = nil, acr: String? = nil,
                    amr: [String]? = nil, grantID: String? = nil) {
            self.subject = subject
            self.clientID = clientID
            self.scopes = scopes
            self.authTime = authTime
            self.acr = acr
            self.amr = amr
            self.grantID = grantID
        }
    }

    /// What goes into an ID token besides the registered claims (OIDC Core §2).
    public struct IDTokenContent: Sendable {
        public var subject: String
        public var authTime: Int64
        public var nonce: String?
        public var acr: String
        public var amr: [String]
        public var sessionID: String?
        public var assurance: Assurance?
        /// The access token issued with it, for `at_hash`.
        public var accessToken: String?
        /// Released user claims (requested through `claims.id_token`).
        public var claims: [String: JSONValue]

        public init(subject: String, authTime: Int64, nonce: String? = nil, acr: String, amr: [String], sessionID: String? = nil,
                    assurance: Assurance? = nil, accessToken: String? = nil, claims: [String: JSONValue] = [:]) {
            self.subject = subject
            self.authTime = authTime
            self.nonce = nonce
            self.acr = acr
            self.amr = amr
            self.sessionID = sessionID
            self.assurance = assurance
            self.accessToken = accessToken
            self.claims = claims
        }
    }

    /// Access tokens are ES256 (fast to sign and verify) whenever the broker keeps an ES256 key.
    public var accessTokenAlgorithm: JWSAlgorithm { keys.algorithms.contains(.es256) ? .es256 : keys.algorithms.first ?? .es256 }

    /// An RFC 9068 access token (`typ: at+jwt`) valid `lifetimes.accessToken` seconds from `now`.
    /// `aud` is the client: the broker is the resource server of its own `/userinfo`.
    public func accessToken(_ content: AccessTokenContent, now: Int64) throws(OAuthError) -> AccessToken {
        let jti = random.token(bytes: 16)
        let expiresAt = now + lifetimes.accessToken
        var claims = ClaimsWriter()
        claims.add("iss", issuer)
        claims.add("sub", content.subject)
        claims.add("aud", content.clientID)
        claims.add("client_id", content.clientID)
        claims.add("iat", now)
        claims.add("exp", expiresAt)
        claims.add("jti", jti)
        claims.add("scope", content.scopes.joined(separator: " "))
        if let authTime = content.authTime { claims.add("auth_time", authTime) }
        if let acr = content.acr { claims.add("acr", acr) }
        if let amr = content.amr { claims.add("amr", amr) }
        if let grantID = content.grantID { claims.add("gid", grantID) }
        let token = try sign(claims.finish(), algorithm: accessTokenAlgorithm, type: "at+jwt")
        return AccessToken(token: token, jti: jti, issuedAt: now, expiresAt: expiresAt)
    }

    /// An ID token for `client` (OIDC Core §2, §3.1.3.6), signed with its
    /// `id_token_signed_response_alg`.
    public func idToken(_ content: IDTokenContent, client: Client, now: Int64) throws(OAuthError) -> String {
        let algorithm = client.idTokenSignedResponseAlg
        var claims = ClaimsWriter(capacity: 768)
        claims.add("iss", issuer)
        claims.add("sub", content.subject)
        claims.add("aud", client.id)
        claims.add("azp", client.id)
        claims.add("iat", now)
        claims.add("exp", now + lifetimes.idToken)
        claims.add("auth_time", content.authTime)
        if let nonce = content.nonce { claims.add("nonce", nonce) }
        claims.add("acr", content.acr)
        claims.add("amr", content.amr)
        if let sid = content.sessionID { claims.add("sid", sid) }
        if let assurance = content.assurance {
            claims.add("ial", assurance.ial)
            claims.add("aal", assurance.aal)
        }
        if let accessToken = content.accessToken { claims.add("at_hash", Self.atHash(accessToken, algorithm: algorithm)) }
        let reserved: Set<String> = ["iss", "sub", "aud", "azp", "iat", "exp", "auth_time", "nonce", "acr", "amr", "sid", "ial", "aal", "at_hash"]
        claims.add(members: content.claims.filter { !reserved.contains($0.key) })
        return try sign(claims.finish(), algorithm: algorithm, type: "JWT")
    }

    /// OIDC Core §3.1.3.6: "the base64url encoding of the left-most half of the hash of the
    /// octets of the ASCII representation of the access_token value, where the hash algorithm
    /// used is the hash algorithm used in the alg Header Parameter" — SHA-512 for Ed25519.
    public static func atHash(_ accessToken: String, algorithm: JWSAlgorithm) -> String {
        let digest = algorithm == .edDSA ? Crypto.sha512(accessToken.utf8) : Crypto.sha256(accessToken.utf8)
        return Base64URL.encode(digest.prefix(digest.count / 2))
    }

    private func sign(_ payload: [UInt8], algorithm: JWSAlgorithm, type: String) throws(OAuthError) -> String {
        let key = try keys.signingKey(for: algorithm)
        var header: [UInt8] = []
        header.reserveCapacity(64)
        header.append(contentsOf: #"{"alg":"#.utf8)
        JSONValue.string(algorithm.rawValue).serialize(into: &header)
        if let kid = key.kid {
            header.append(contentsOf: #","kid":"#.utf8)
            JSONValue.string(kid).serialize(into: &header)
        }
        header.append(contentsOf: #","typ":"#.utf8)
        JSONValue.string(type).serialize(into: &header)
        header.append(UInt8(ascii: "}"))
        do {
            return try JWS.sign(protectedHeader: header, payload: payload, key: key, algorithm: algorithm)
        } catch {
            throw .serverError(debug: "signing with \(algorithm.rawValue): \(error)")
        }
    }
}
