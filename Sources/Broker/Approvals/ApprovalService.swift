import Foundation
import JOSE
import JSON
import Storage

/// Push approvals: one pending request per login, shown on every active device of the citizen,
/// decided by a JWS from one of them (CONTRACT.md, device API). A pending approval carries the
/// relying party's name, the scopes and the claims asked for, and nothing personal beyond that.
public struct ApprovalService: Sendable {
    let store: any Store
    let clock: any Clock
    let random: any RandomSource
    let audit: Auditor
    let configuration: BrokerConfiguration
    /// Subscribers told about every new approval (the SSE hub of the HTTP layer).
    public let notifications: ApprovalNotifications

    // MARK: Browser side

    /// Creates the pending approval of a browser login for `citizenID` and tells the notifiers.
    ///
    /// An unknown citizen and a citizen without an active device get the same
    /// `login_unavailable`, so the login page reveals nothing about enrollment. A citizen with
    /// `maxPendingApprovals` already waiting, or `maxApprovalsPerHour` sent in the last hour,
    /// gets `too_many_approvals`.
    func request(citizenID: String, client: Client, request: AuthorizationRequestRecord) throws -> ApprovalRecord {
        let now = clock.now
        do {
            _ = try store.citizen(id: citizenID)
        } catch StorageError.notFound {
            audit.record("approval.refused", by: .anonymous, client: client.id, success: false, detail: "unknown citizen")
            throw OAuthError.loginUnavailable
        }
        guard try store.activeDeviceCount(citizenID: citizenID) > 0 else {
            audit.record("approval.refused", by: .anonymous, citizen: citizenID, client: client.id, success: false, detail: "no active device")
            throw OAuthError.loginUnavailable
        }
        let claimsRequest = request.claims.flatMap { try? JSONValue(parsing: $0) }
        let approval = ApprovalRecord(
            id: random.identifier("apr"), citizenID: citizenID, clientID: client.id, clientName: client.name,
            scopes: request.scopes, claims: ScopeCatalog.claimNames(scopes: request.scopes, claimsRequest: claimsRequest),
            numberChallenge: numberChallenge(), wrongNumbers: 0, status: .pending, origin: "browser", originID: request.id,
            createdAt: now, expiresAt: now + configuration.approvalLifetime, amr: [])
        // ciba: the anti push-bombing rule shared with CIBA (pending cap and hourly cap), checked
        // in the transaction that stores the approval
        if let refusal = browserRefusal(try admit(approval), citizenID: citizenID, clientID: client.id) { throw refusal }
        audit.record("approval.requested", by: .anonymous, citizen: citizenID, client: client.id, detail: approval.id)
        notifications.approvalCreated(approval)
        return approval
    }

    /// The approval as it stands now (a pending one past its time reads as `expired`).
    public func approval(id: String) throws -> ApprovalRecord {
        var approval: ApprovalRecord
        do {
            approval = try store.approval(id: id)
        } catch StorageError.notFound {
            throw OAuthError.notFound("no such approval")
        }
        approval.expireIfDue(now: clock.now)
        return approval
    }

    /// Marks a still-pending approval as failed (the browser started over with another one).
    func withdraw(id: String) {
        _ = try? store.update(ApprovalRecord.self, id: id) { approval in
            if approval.status == .pending {
                approval.status = .failed
                approval.decidedAt = clock.now
            }
        }
    }

    /// Two random digits, uniformly: bytes ≥ 200 are drawn again so that no number is likelier.
    func numberChallenge() -> String {
        while true {
            for byte in random.bytes(8) where byte < 200 {
                let value = Int(byte) % 100
                return value < 10 ? "0\(value)" : "\(value)"
            }
        }
    }

    // MARK: Device side

    /// The approvals waiting for the citizen of `device`, oldest first.
    public func pending(for device: DeviceRecord) throws -> [ApprovalRecord] {
        try store.pendingApprovals(citizenID: device.citizenID, now: clock.now)
    }

    /// Applies a device's signed decision (CONTRACT.md).
    ///
    /// - Returns: `.approved` or `.denied`.
    /// - Throws: `not_found` (404) for an unknown or expired request or one of another citizen;
    ///   `conflict` (409) when it was decided before; `wrong_number` (400) for a number that is
    ///   not the one shown — the `maxWrongNumbers`-th fails the request; `invalid_request` for a
    ///   decision that is not a recent JWS by this device over this request.
    public func decide(requestID: String, decision jws: String?, by device: DeviceRecord) throws -> ApprovalStatus {
        let now = clock.now
        let actor = Actor.device(device.id)
        let current: ApprovalRecord
        do {
            current = try store.approval(id: requestID)
        } catch StorageError.notFound {
            throw OAuthError.notFound("no such request")
        }
        guard current.citizenID == device.citizenID else {
            audit.record("approval.decision_refused", by: actor, citizen: device.citizenID, client: current.clientID,
                         success: false, detail: "\(requestID) belongs to another citizen")
            throw OAuthError.notFound("no such request")
        }
        var preview = current
        if preview.expireIfDue(now: now) { throw OAuthError.notFound("the request has expired") }
        guard !current.status.isDecided else { throw OAuthError.conflict("the request was already decided") }

        guard let jws, !jws.isEmpty else { throw OAuthError.invalidRequest("decision is required") }
        let key: JWK
        do {
            key = try JWK(jsonText: device.publicKeyJWK)
        } catch {
            throw OAuthError.serverError(debug: "stored device key: \(error)")
        }
        let decision: DeviceDecision
        do {
            decision = try DeviceDecision.verify(jws, key: key, now: now, maxAge: configuration.deviceAssertionMaxLifetime,
                                                 skew: configuration.clockSkew)
        } catch {
            audit.record("approval.decision_refused", by: actor, citizen: device.citizenID, client: current.clientID,
                         success: false, detail: "\(requestID): \(error.errorDescription)")
            throw error
        }
        guard decision.requestID == requestID else {
            throw OAuthError.invalidRequest("the decision names another request")
        }

        let citizen = try store.citizen(id: device.citizenID)
        let reached = Assurance(ial: citizen.ial, aal: Assurance.deviceApprovalAAL)
        var outcome = ApprovalDecisionOutcome.alreadyDecided
        let decided = try store.update(ApprovalRecord.self, id: requestID) { approval in
            outcome = approval.apply(decision, by: device.id, reached: reached, now: now,
                                     maxWrongNumbers: configuration.maxWrongNumbers)
        }
        // ciba: decisions are announced too (CIBA ping mode)
        if [.approved, .denied, .failed].contains(outcome) { notifications.approvalDecided(decided) }
        switch outcome {
        case .approved:
            audit.record("approval.approved", by: actor, citizen: device.citizenID, client: current.clientID, detail: requestID)
            return .approved
        case .denied:
            audit.record("approval.denied", by: actor, citizen: device.citizenID, client: current.clientID, detail: requestID)
            return .denied
        case .wrongNumber(let remaining):
            audit.record("approval.wrong_number", by: actor, citizen: device.citizenID, client: current.clientID,
                         success: false, detail: "\(requestID), \(remaining) left")
            throw OAuthError.wrongNumber("the number does not match the one on the sign-in page; \(remaining) tries left")
        case .failed:
            audit.record("approval.wrong_number", by: actor, citizen: device.citizenID, client: current.clientID,
                         success: false, detail: "\(requestID), none left")
            audit.record("approval.failed", by: actor, citizen: device.citizenID, client: current.clientID,
                         success: false, detail: "\(requestID): too many wrong numbers")
            throw OAuthError.wrongNumber("the number does not match; the request has failed")
        case .expired:
            throw OAuthError.notFound("the request has expired")
        case .alreadyDecided:
            throw OAuthError.conflict("the request was already decided")
        }
    }
}
