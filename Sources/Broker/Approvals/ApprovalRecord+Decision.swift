import JOSE
import Storage

/// What a device's decision did to a pending approval.
public enum ApprovalDecisionOutcome: Sendable, Equatable {
    case approved
    case denied
    /// The number typed is not the one shown; `remaining` tries are left.
    case wrongNumber(remaining: Int)
    /// The last allowed wrong number: the approval has failed.
    case failed
    /// The approval timed out before the decision (it is now `expired`).
    case expired
    /// The approval was decided before.
    case alreadyDecided
}

/// The pending approval as a pure state machine: pending → approved | denied | failed | expired.
/// No I/O: the caller runs it inside an atomic store update and acts on the outcome afterwards.
extension ApprovalRecord {
    /// Marks a pending approval whose time is up as `expired`; returns whether it is expired.
    @discardableResult
    mutating func expireIfDue(now: Int64) -> Bool {
        if status == .pending, expiresAt <= now { status = .expired }
        return status == .expired
    }

    /// Applies a verified decision of `deviceID`. Denial needs no number; approval needs the
    /// number shown on the login page when number matching applies, compared in constant time.
    mutating func apply(_ decision: DeviceDecision, by deviceID: String, reached: Assurance, now: Int64,
                        maxWrongNumbers: Int) -> ApprovalDecisionOutcome {
        if expireIfDue(now: now) { return .expired }
        guard status == .pending else { return .alreadyDecided }
        guard decision.approve else {
            status = .denied
            decidedAt = now
            self.deviceID = deviceID
            return .denied
        }
        if let challenge = numberChallenge {
            let typed = Array((decision.number ?? "").utf8)
            guard typed.count == challenge.utf8.count, Crypto.constantTimeEquals(typed, Array(challenge.utf8)) else {
                wrongNumbers += 1
                guard wrongNumbers < maxWrongNumbers else {
                    status = .failed
                    decidedAt = now
                    self.deviceID = deviceID
                    return .failed
                }
                return .wrongNumber(remaining: maxWrongNumbers - wrongNumbers)
            }
        }
        status = .approved
        decidedAt = now
        self.deviceID = deviceID
        acr = reached.acr
        amr = Assurance.deviceApprovalAMR
        return .approved
    }
}
