import JSON

/// The OIDC `claims` request parameter (OIDC Core §5.5): which individual claims the RP asks for
/// at the userinfo endpoint and in the ID token. Only the names matter here: the broker releases
/// what it has and the citizen consented to; `essential` and `value` do not change that.
public struct ClaimsRequest: Sendable, Equatable {
    public var userinfo: Set<String>
    public var idToken: Set<String>

    public init(userinfo: Set<String> = [], idToken: Set<String> = []) {
        self.userinfo = userinfo
        self.idToken = idToken
    }

    /// Parses the JSON text kept with the authorization; nil or unreadable text asks for nothing
    /// (it was validated at `/authorize`).
    public init(json text: String?) {
        self.init()
        guard let text, let value = try? JSONValue(parsing: text) else { return }
        userinfo = Set(value["userinfo"]?.objectValue?.keys.map { $0 } ?? [])
        idToken = Set(value["id_token"]?.objectValue?.keys.map { $0 } ?? [])
    }
}
