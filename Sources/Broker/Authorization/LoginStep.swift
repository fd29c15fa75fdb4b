import Storage

/// Where the browser goes next in a login, as the HTTP layer renders it.
public enum LoginStep: Sendable {
    /// The login page of this authorization request (citizen ID, upstream IdPs).
    case login(requestID: String)
    /// The waiting page: the push approval is on the phone.
    case waiting(requestID: String)
    /// The consent page.
    case consent(requestID: String)
    /// Back to the relying party with a code or an error.
    case respond(AuthorizationResponse)
    /// An error shown on the broker's own page, never redirected.
    case errorPage(OAuthError)
}

/// A step, and the broker session to set as a cookie when this step started one.
public struct LoginProgress: Sendable {
    public let step: LoginStep
    public let session: IssuedSession?

    public init(_ step: LoginStep, session: IssuedSession? = nil) {
        self.step = step
        self.session = session
    }
}

/// What the consent page shows.
public struct ConsentView: Sendable {
    public let request: AuthorizationRequestRecord
    public let client: Client
    /// The claims the relying party will receive, by scope and `claims` request.
    public let claims: [String]
}
