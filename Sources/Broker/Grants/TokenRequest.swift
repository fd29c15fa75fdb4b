/// A `/token` request parsed once (RFC 6749 §4.1.3, §6, §4.4): the grant type, every other form
/// parameter (each present once — the HTTP layer refuses duplicates) and the client's
/// credentials, not yet checked.
public struct TokenRequest: Sendable {
    public let grantType: String
    public let parameters: [String: String]
    public let credentials: ClientCredentials

    public init(grantType: String, parameters: [String: String], credentials: ClientCredentials) {
        self.grantType = grantType
        self.parameters = parameters
        self.credentials = credentials
    }

    public subscript(name: String) -> String? { parameters[name] }

    /// A parameter the grant cannot do without: `invalid_request` when absent or empty.
    public func required(_ name: String) throws(OAuthError) -> String {
        guard let value = parameters[name], !value.isEmpty else { throw .invalidRequest("\(name) is required") }
        return value
    }

    /// The `scope` parameter as a list; nil when absent. Malformed scope text is `invalid_scope`.
    public func scopes() throws(OAuthError) -> [String]? {
        guard let text = parameters["scope"] else { return nil }
        guard let scopes = Scopes.parse(text) else { throw .invalidScope("scope must be space-separated scope tokens") }
        return scopes
    }
}
