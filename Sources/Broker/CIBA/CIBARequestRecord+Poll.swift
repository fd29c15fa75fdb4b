import Storage

/// What one poll of the token endpoint finds (CIBA Core §11).
public enum CIBAPollOutcome: Sendable, Equatable {
    /// `authorization_pending`.
    case pending
    /// `slow_down`: polled sooner than `interval` after the last poll; the interval is now this.
    case slowDown(interval: Int64)
    /// `expired_token`.
    case expired
    /// `access_denied`: denied on the phone, or failed there.
    case denied
    /// Approved: tokens may be issued (once).
    case approved
    /// Tokens were issued before: `invalid_grant`.
    case alreadyIssued
}

/// The CIBA request as a pure state machine on the caller's clock, run inside an atomic store
/// update; the grant acts on the outcome.
extension CIBARequestRecord {
    /// How much `slow_down` raises the interval (CIBA §11, after RFC 8628 §3.5: "the interval
    /// MUST be increased by 5 seconds for this and all subsequent requests").
    static let slowDownStep: Int64 = 5
    /// An approved request stays redeemable this long past its expiry: the approval came in
    /// time, and the ping announcing it may have been retried with backoff.
    static let redemptionGrace: Int64 = 60

    /// One poll at `now`, given the approval's status. Only a still-pending request is throttled:
    /// `slow_down` is "a variant of authorization_pending" (§11), and a decided request is
    /// answered at once.
    mutating func poll(now: Int64, approval: ApprovalStatus) -> CIBAPollOutcome {
        guard issuedAt == nil else { return .alreadyIssued }
        switch approval {
        case .approved:
            return now < expiresAt + Self.redemptionGrace ? .approved : .expired
        case .denied, .failed:
            return .denied
        case .expired:
            return .expired
        case .pending:
            guard now < expiresAt else { return .expired }
            defer { lastPolledAt = now }
            if let last = lastPolledAt, now - last < interval {
                interval += Self.slowDownStep
                return .slowDown(interval: interval)
            }
            return .pending
        }
    }
}
