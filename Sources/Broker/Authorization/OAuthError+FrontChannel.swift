extension OAuthError {
    // RFC 6749 §4.1.2.1
    public static func unsupportedResponseType(_ d: String) -> OAuthError { .init("unsupported_response_type", d) }
    // OIDC Core §3.1.2.6
    public static func loginRequired(_ d: String) -> OAuthError { .init("login_required", d) }
    public static func consentRequired(_ d: String) -> OAuthError { .init("consent_required", d) }
    public static func requestNotSupported(_ d: String) -> OAuthError { .init("request_not_supported", d) }
    public static func requestURINotSupported(_ d: String) -> OAuthError { .init("request_uri_not_supported", d) }
    public static func invalidRequestURI(_ d: String) -> OAuthError { .init("invalid_request_uri", d) }
    // OIDC Core §3.1.2.6 lists it, RFC 6749 §4.1.2.1 names the redirect-URI case
    public static func invalidRedirectURI(_ d: String) -> OAuthError { .init("invalid_redirect_uri", d) }

    // Phisut contract (CONTRACT.md, device API and login pages)
    /// A typed number that is not the one the login page shows.
    public static func wrongNumber(_ d: String) -> OAuthError { .init("wrong_number", d) }
    /// The one refusal for "unknown citizen ID" and "no active device": the login page must
    /// not tell a third party whether an ID is enrolled.
    public static let loginUnavailable = OAuthError(
        "login_unavailable", "This citizen ID cannot sign in here. Check the number, or enroll a phone at a registration office.",
        status: 400)
    /// Too many approvals are already waiting on this citizen's phone.
    public static func tooManyApprovals(_ d: String) -> OAuthError { .init("too_many_approvals", d, status: 429) }
    /// Too many citizen IDs were typed for one login request or from one address.
    public static func tooManyAttempts(_ d: String) -> OAuthError { .init("too_many_attempts", d, status: 429) }
    /// The login this page belongs to is finished or has expired.
    public static func loginExpired(_ d: String) -> OAuthError { .init("login_expired", d, status: 410) }
}
