extension OAuthError {
    // CIBA Core §13: errors of the backchannel authentication endpoint.
    /// The hint does not name a citizen who can be asked (unknown, or no active device).
    public static func unknownUserID(_ d: String) -> OAuthError { .init("unknown_user_id", d) }
    public static func expiredLoginHintToken(_ d: String) -> OAuthError { .init("expired_login_hint_token", d) }
    public static func missingUserCode(_ d: String) -> OAuthError { .init("missing_user_code", d) }
    public static func invalidUserCode(_ d: String) -> OAuthError { .init("invalid_user_code", d) }
    public static func invalidBindingMessage(_ d: String) -> OAuthError { .init("invalid_binding_message", d) }

    // CIBA Core §11: errors of the token endpoint's CIBA grant. Every one is HTTP 400 there
    // (RFC 6749 §5.2), access_denied included.
    public static func authorizationPending(_ d: String) -> OAuthError { .init("authorization_pending", d) }
    public static func slowDown(_ d: String) -> OAuthError { .init("slow_down", d) }
    public static func expiredToken(_ d: String) -> OAuthError { .init("expired_token", d) }
    public static func accessDeniedAtToken(_ d: String) -> OAuthError { .init("access_denied", d) }
}
