import Foundation
import Storage

extension AuthorizationService {
    /// The citizen typed a citizen ID on the login page: push an approval to their phones.
    ///
    /// - Returns: `.waiting` — the waiting page shows the approval's number.
    /// - Throws: `invalid_citizen_id` for a malformed number; `login_unavailable` for an unknown
    ///   citizen or one without an active device (one message for both); `too_many_approvals`;
    ///   `too_many_attempts` past `maxCitizenIDsPerLoginRequest` for this request or
    ///   `maxCitizenIDsPerAddressPerMinute` for `address` (the client's, nil when unknown);
    ///   `login_expired`.
    public func submitCitizenID(requestID: String, citizenID text: String?, address: String? = nil) throws -> LoginStep {
        let request = try pendingRequest(id: requestID)
        guard request.status == .login || request.status == .approval else {
            throw OAuthError.loginExpired("This sign-in has moved on; please go back to the application.")
        }
        let citizenID = try CitizenID.parse(text?.trimmingCharacters(in: .whitespaces))
        try checkAttempts(requestID: requestID, address: address)
        let client = try client(of: request)
        let approval = try approvals.request(citizenID: citizenID.digits, client: client, request: request)
        try store.update(AuthorizationRequestRecord.self, id: requestID) { record in
            guard record.status == .login || record.status == .approval else {
                throw OAuthError.loginExpired("This sign-in has moved on; please go back to the application.")
            }
            record.status = .approval
            record.citizenID = citizenID.digits
            record.approvalID = approval.id
        }
        if let old = request.approvalID, old != approval.id { approvals.withdraw(id: old) }
        return .waiting(requestID: requestID)
    }

    /// The brake on testing citizen IDs for enrollment: counted after the format check (a typo
    /// costs nothing), before the lookup whose answer differs for enrolled citizens.
    private func checkAttempts(requestID: String, address: String?) throws {
        let now = clock.now
        guard attemptsPerRequest.allow(requestID, limit: configuration.maxCitizenIDsPerLoginRequest, now: now) else {
            audit.record("login.throttled", by: .anonymous, success: false, detail: "\(requestID): too many citizen IDs")
            throw OAuthError.tooManyAttempts("Too many citizen IDs were tried in this sign-in. Please start again from the application.")
        }
        if let address, !Self.isLoopback(address),
           !attemptsPerAddress.allow(address, limit: configuration.maxCitizenIDsPerAddressPerMinute, now: now) {
            audit.record("login.throttled", by: .anonymous, success: false, detail: "too many citizen IDs from one address")
            throw OAuthError.tooManyAttempts("Too many sign-in attempts. Please wait a minute and try again.")
        }
    }

    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address == "[::1]" || address.hasPrefix("::ffff:127.")
    }

    /// The request and its approval, for the waiting and login pages. The approval is nil before
    /// a citizen ID was posted.
    public func approvalState(requestID: String) throws -> (request: AuthorizationRequestRecord, approval: ApprovalRecord?) {
        let request = try pendingRequest(id: requestID)
        return (request, try request.approvalID.map { try approvals.approval(id: $0) })
    }

    /// Moves the login on once the phone decided (the waiting page's refresh and its continue
    /// form): still pending → `.waiting`; expired → back to the login page; denied or failed →
    /// `access_denied` to the relying party; approved → `acr_values` checked, a broker session
    /// started (ending `sessionCookie`'s), then consent or the code.
    public func proceed(requestID: String, sessionCookie: String?) throws -> LoginProgress {
        let request = try pendingRequest(id: requestID)
        switch request.status {
        case .login: return LoginProgress(.login(requestID: requestID))
        case .consent: return LoginProgress(.consent(requestID: requestID))
        case .approval: break
        case .done, .failed: throw OAuthError.loginExpired("This sign-in is finished.")
        }
        guard let approvalID = request.approvalID else { return LoginProgress(.login(requestID: requestID)) }
        let approval = try approvals.approval(id: approvalID)
        switch approval.status {
        case .pending:
            return LoginProgress(.waiting(requestID: requestID))
        case .expired:
            try store.update(AuthorizationRequestRecord.self, id: requestID) { record in
                if record.status == .approval { record.status = .login }
            }
            return LoginProgress(.login(requestID: requestID))
        case .denied:
            return LoginProgress(try fail(request, with: .accessDenied("the citizen denied the request on the phone")))
        case .failed:
            return LoginProgress(try fail(request, with: .accessDenied("the request on the phone failed")))
        case .approved:
            return try authenticated(request, by: approval, previousSession: sessionCookie)
        }
    }

    private func authenticated(_ request: AuthorizationRequestRecord, by approval: ApprovalRecord,
                               previousSession: String?) throws -> LoginProgress {
        let citizen = try store.citizen(id: approval.citizenID)
        let reached = Assurance(ial: citizen.ial, aal: Assurance.deviceApprovalAAL)
        do {
            _ = try Assurance.satisfy(request.acrValues, with: reached)
        } catch {
            audit.record("login.refused", by: .anonymous, citizen: citizen.id, client: request.clientID, success: false,
                         detail: "acr_values \(request.acrValues.joined(separator: " ")) not met by \(reached.acr)")
            return LoginProgress(try fail(request, with: error))
        }
        // federation: a step-up after an upstream login keeps `fed` among the methods
        let amr = Assurance.deviceApprovalAMR + request.amr.filter { FederationService.federatedAMR.contains($0) }
        let session = try sessions.start(citizenID: citizen.id, deviceID: approval.deviceID, assurance: reached,
                                         amr: amr, replacing: previousSession)
        let updated = try store.update(AuthorizationRequestRecord.self, id: request.id) { record in
            guard record.status == .approval, record.approvalID == approval.id else {
                throw OAuthError.loginExpired("This sign-in has moved on; please go back to the application.")
            }
            record.status = .consent
            record.authTime = session.record.authTime
            record.acr = session.record.acr
            record.amr = session.record.amr
            record.sessionID = session.record.sid
        }
        if needsConsent(updated) {
            return LoginProgress(.consent(requestID: request.id), session: session)
        }
        return LoginProgress(try issueCode(requestID: request.id), session: session)
    }
}
