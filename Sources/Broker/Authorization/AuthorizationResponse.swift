/// Where and how the answer to an authorization request goes: the trusted redirect URI, the
/// response mode, the `state` to echo and the issuer to name (RFC 9207).
public struct AuthorizationResponseTarget: Sendable, Equatable {
    public let redirectURI: String
    public let responseMode: ResponseMode
    public let state: String?
    public let issuer: String
}

/// The answer sent back to the relying party: a code or an error, with `state` and `iss`.
public struct AuthorizationResponse: Sendable {
    public let redirectURI: String
    public let responseMode: ResponseMode
    /// In order: `code` or `error`/`error_description`, then `state` (when sent) and `iss`.
    public let parameters: [(name: String, value: String)]

    /// RFC 6749 §4.1.2 plus RFC 9207 §2: `code`, `state`, `iss`.
    static func code(_ code: String, to target: AuthorizationResponseTarget) -> AuthorizationResponse {
        AuthorizationResponse(target, [("code", code)])
    }

    /// RFC 6749 §4.1.2.1 plus RFC 9207 §2: `error`, `error_description`, `state`, `iss`.
    static func error(_ error: OAuthError, to target: AuthorizationResponseTarget) -> AuthorizationResponse {
        AuthorizationResponse(target, [("error", error.code), ("error_description", error.errorDescription)])
    }

    private init(_ target: AuthorizationResponseTarget, _ leading: [(name: String, value: String)]) {
        redirectURI = target.redirectURI
        responseMode = target.responseMode
        var parameters = leading
        if let state = target.state { parameters.append(("state", state)) }
        parameters.append(("iss", target.issuer))
        self.parameters = parameters
    }

    public func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }

    public var isError: Bool { value("error") != nil }

    /// The redirect for `response_mode=query`: the parameters added to the redirect URI's query
    /// (RFC 6749 §3.1.2: any query component of the registered URI is kept).
    public var location: String {
        let query = FormEncoding.query(parameters.map { ($0.name, $0.value) })
        return redirectURI + (redirectURI.contains("?") ? "&" : "?") + query
    }
}
