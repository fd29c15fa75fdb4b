import JSON

/// A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3).
public struct TokenResponse: Sendable {
    public var accessToken: String
    public var expiresIn: Int64
    public var scopes: [String]
    public var idToken: String?
    public var refreshToken: String?

    public init(accessToken: String, expiresIn: Int64, scopes: [String], idToken: String? = nil, refreshToken: String? = nil) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.scopes = scopes
        self.idToken = idToken
        self.refreshToken = refreshToken
    }

    /// The JSON body, written directly (it is on the hot path of client_credentials).
    public var json: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(accessToken.utf8.count + (idToken?.utf8.count ?? 0) + 160)
        out.append(contentsOf: #"{"access_token":"#.utf8)
        JSONValue.string(accessToken).serialize(into: &out)
        out.append(contentsOf: #","token_type":"Bearer","expires_in":"#.utf8)
        JSONValue.int(expiresIn).serialize(into: &out)
        out.append(contentsOf: #","scope":"#.utf8)
        JSONValue.string(scopes.joined(separator: " ")).serialize(into: &out)
        if let idToken {
            out.append(contentsOf: #","id_token":"#.utf8)
            JSONValue.string(idToken).serialize(into: &out)
        }
        if let refreshToken {
            out.append(contentsOf: #","refresh_token":"#.utf8)
            JSONValue.string(refreshToken).serialize(into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
