import Storage

/// Whether one more approval may be sent to a citizen's phones: the anti push-bombing rule
/// shared by browser logins and CIBA requests.
public enum ApprovalAdmission: Sendable, Equatable {
    case admitted
    /// `maxPendingApprovals` are already waiting.
    case tooManyPending
    /// `maxApprovalsPerHour` were sent in the last hour (any origin, any outcome).
    case hourlyCapReached
}

extension ApprovalService {
    /// Applies the rule at `now`. An attacker who knows a citizen ID can make the phone ring; the
    /// caps bound how often, whichever relying party or login page the requests come through.
    func admission(citizenID: String, now: Int64) throws -> ApprovalAdmission {
        if try store.pendingApprovals(citizenID: citizenID, now: now).count >= configuration.maxPendingApprovals {
            return .tooManyPending
        }
        if try store.approvalCount(citizenID: citizenID, since: now - 3_600) >= configuration.maxApprovalsPerHour {
            return .hourlyCapReached
        }
        return .admitted
    }

    /// The browser's refusal when the rule says no: the login page shows "try again later".
    func checkBrowserAdmission(citizenID: String, clientID: String, now: Int64) throws {
        switch try admission(citizenID: citizenID, now: now) {
        case .admitted: return
        case .tooManyPending:
            audit.record("approval.refused", by: .anonymous, citizen: citizenID, client: clientID, success: false, detail: "too many pending")
            throw OAuthError.tooManyApprovals("Too many sign-in requests are waiting on this phone. Please try again in a few minutes.")
        case .hourlyCapReached:
            audit.record("approval.refused", by: .anonymous, citizen: citizenID, client: clientID, success: false, detail: "hourly cap")
            throw OAuthError.tooManyApprovals("Too many sign-in requests were sent to this phone in the last hour. Please try again later.")
        }
    }

    /// Stores a CIBA request and its approval in one transaction, then tells the notifiers (SSE
    /// streams, push gateways) — only after the commit, so a device never fetches a request
    /// that does not exist yet.
    func createCIBA(_ approval: ApprovalRecord, request: CIBARequestRecord) throws {
        try store.transaction { tx in
            try tx.addApproval(approval)
            try tx.addCIBARequest(request)
        }
        audit.record("approval.requested", by: .anonymous, citizen: approval.citizenID, client: approval.clientID, detail: approval.id)
        notifications.approvalCreated(approval)
    }
}
