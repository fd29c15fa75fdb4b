import JSON

/// A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3).
public struct TokenSet: Sendable {
    public let accessToken: String
    public let tokenType: String
    public let idToken: String?
    public let refreshToken: String?
    public let expiresIn: Int64?
    public let scope: String?

    init(_ object: [String: JSONValue]) throws(LoginKitError) {
        guard let accessToken = object["access_token"]?.stringValue, !accessToken.isEmpty else {
            throw .validation("token response without access_token")
        }
        guard let tokenType = object["token_type"]?.stringValue, tokenType.lowercased() == "bearer" else {
            throw .validation("token_type is not Bearer")
        }
        self.accessToken = accessToken
        self.tokenType = tokenType
        idToken = object["id_token"]?.stringValue
        refreshToken = object["refresh_token"]?.stringValue
        expiresIn = object["expires_in"]?.intValue
        scope = object["scope"]?.stringValue
    }
}
