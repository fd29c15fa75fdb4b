/// Where a pending authorization request is in the login flow.
public enum AuthorizationRequestStatus: String, Codable, Sendable {
    /// Waiting for the citizen ID (or an upstream IdP).
    case login
    /// A push approval is waiting on the citizen's phone.
    case approval
    /// Authenticated; waiting for the citizen's consent.
    case consent
    /// The code was issued (or an error redirected back): nothing more may happen.
    case done
    /// Denied, expired or failed: the relying party gets `error` on the next redirect.
    case failed
}

/// Where a push approval is in its life.
public enum ApprovalStatus: String, Codable, Sendable {
    case pending, approved, denied, failed, expired

    public var isDecided: Bool { self != .pending }
}
