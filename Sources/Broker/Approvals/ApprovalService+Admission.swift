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
    /// Applies the rule at `now`, reading through `store`. An attacker who knows a citizen ID can
    /// make the phone ring; the caps bound how often, whichever relying party or login page the
    /// requests come through.
    func admission(citizenID: String, now: Int64, in store: any Store) throws -> ApprovalAdmission {
        if try store.pendingApprovals(citizenID: citizenID, now: now).count >= configuration.maxPendingApprovals {
            return .tooManyPending
        }
        if try store.approvalCount(citizenID: citizenID, since: now - 3_600) >= configuration.maxApprovalsPerHour {
            return .hourlyCapReached
        }
        return .admitted
    }

    /// Checks the rule and stores `approval` (and the CIBA request it belongs to) in one write
    /// transaction. Checked outside it, concurrent requests for one citizen all saw the same
    /// count and all got through: a burst of parallel logins rang the phone past the cap.
    /// Nothing is stored unless `.admitted` is returned.
    func admit(_ approval: ApprovalRecord, ciba: CIBARequestRecord? = nil) throws -> ApprovalAdmission {
        try store.transaction { tx in
            let verdict = try admission(citizenID: approval.citizenID, now: approval.createdAt, in: tx)
            guard verdict == .admitted else { return verdict }
            try tx.addApproval(approval)
            if let ciba { try tx.addCIBARequest(ciba) }
            return .admitted
        }
    }

    /// The browser's refusal when the rule said no: the login page shows "try again later".
    func browserRefusal(_ verdict: ApprovalAdmission, citizenID: String, clientID: String) -> OAuthError? {
        switch verdict {
        case .admitted: return nil
        case .tooManyPending:
            audit.record("approval.refused", by: .anonymous, citizen: citizenID, client: clientID, success: false, detail: "too many pending")
            return OAuthError.tooManyApprovals("Too many sign-in requests are waiting on this phone. Please try again in a few minutes.")
        case .hourlyCapReached:
            audit.record("approval.refused", by: .anonymous, citizen: citizenID, client: clientID, success: false, detail: "hourly cap")
            return OAuthError.tooManyApprovals("Too many sign-in requests were sent to this phone in the last hour. Please try again later.")
        }
    }

    /// Stores a CIBA request and its approval if the rule admits them, then tells the notifiers
    /// (SSE streams, push gateways) — only after the commit, so a device never fetches a request
    /// that does not exist yet.
    func createCIBA(_ approval: ApprovalRecord, request: CIBARequestRecord) throws -> ApprovalAdmission {
        let verdict = try admit(approval, ciba: request)
        guard verdict == .admitted else { return verdict }
        audit.record("approval.requested", by: .anonymous, citizen: approval.citizenID, client: approval.clientID, detail: approval.id)
        notifications.approvalCreated(approval)
        return verdict
    }
}
