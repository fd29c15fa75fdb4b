extension AuthorizationCheck {
    /// RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
    static let noDuplicateParameters = AuthorizationCheck("duplicate parameters") { context throws(OAuthError) in
        if let name = context.parameters.duplicatedNames.first {
            throw .invalidRequest("\(name) is included more than once")
        }
    }

    /// Only the authorization code flow (RFC 6749 §4.1; OIDC Core §3.1.2.1).
    static let responseType = AuthorizationCheck("response_type") { context throws(OAuthError) in
        guard let type = try context.parameters.single("response_type") else {
            throw .invalidRequest("response_type is required")
        }
        guard type == "code" else { throw .unsupportedResponseType("only response_type=code is supported") }
        guard let client = context.client, client.responseTypes.contains("code"), client.grantTypes.contains("authorization_code") else {
            throw .unauthorizedClient("this client is not registered for the authorization code flow")
        }
    }

    /// `query` (the default for `code`) or `form_post`.
    static let responseMode = AuthorizationCheck("response_mode") { context throws(OAuthError) in
        guard let value = try context.parameters.single("response_mode") else {
            context.responseMode = .query
            return
        }
        guard let mode = ResponseMode(rawValue: value) else {
            throw .invalidRequest("response_mode must be query or form_post")
        }
        context.responseMode = mode
    }

    /// `state` is carried back unchanged (RFC 6749 §4.1.1); bounded so it cannot bloat records.
    static let state = AuthorizationCheck("state") { context throws(OAuthError) in
        context.state = try boundedValue(context, "state")
    }

    /// `nonce` is optional in the code flow and carried into the ID token (OIDC Core §3.1.2.1).
    static let nonce = AuthorizationCheck("nonce") { context throws(OAuthError) in
        context.nonce = try boundedValue(context, "nonce")
    }

    /// A hint is only a hint (OIDC Core §3.1.2.1): a `login_hint` that is not a valid citizen
    /// ID is dropped rather than refused; a valid one prefills the login page.
    static let loginHint = AuthorizationCheck("login_hint") { context throws(OAuthError) in
        context.loginHint = try context.parameters.single("login_hint").flatMap { CitizenID($0)?.digits }
    }

    /// Space-separated BCP 47 tags, kept in order; the pages pick the first of `th` and `en`.
    static let uiLocales = AuthorizationCheck("ui_locales") { context throws(OAuthError) in
        let value = try context.parameters.single("ui_locales") ?? ""
        context.uiLocales = Array(value.split(separator: " ").prefix(10).map(String.init))
    }

    /// Request objects (OIDC Core §6) are not supported, and discovery says so.
    static let requestObject = AuthorizationCheck("request, request_uri") { context throws(OAuthError) in
        if try context.parameters.single("request") != nil {
            throw .requestNotSupported("request objects are not supported")
        }
        if try context.parameters.single("request_uri") != nil {
            throw .requestURINotSupported("request_uri is not supported")
        }
    }

    static let maxParameterLength = 512

    private static func boundedValue(_ context: AuthorizationContext, _ name: String) throws(OAuthError) -> String? {
        guard let value = try context.parameters.single(name) else { return nil }
        guard value.utf8.count <= maxParameterLength else {
            throw .invalidRequest("\(name) is longer than \(maxParameterLength) bytes")
        }
        return value
    }
}
