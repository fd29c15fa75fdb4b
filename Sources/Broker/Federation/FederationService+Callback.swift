import Foundation
import JSON
import Storage

extension FederationService {
    /// The upstream redirected the browser back (`/federation/{idp}/callback`).
    ///
    /// In order: the `state` is present, bound to this browser (`isBound`, the HTTP layer's
    /// cookie check), known, unused, unexpired and of this upstream — then consumed; the
    /// connector verifies the response; the citizen ID claim must be checksum-valid; the link
    /// (idp, upstream `sub`) → citizen is recorded or must match and not be revoked. When the
    /// mapped assurance meets the relying party's `acr_values`, a broker session starts and the
    /// flow moves to consent or the code. When it does not, the broker steps up with a push to
    /// the citizen's phone, or — without an enrolled device — answers the relying party
    /// `unmet_authentication_requirements`: never a silent downgrade.
    ///
    /// Every refusal is audited (`federation.refused`) and thrown as the `OAuthError` the
    /// citizen's page shows.
    public func complete(idpID: String, callback: [String: String], isBound: (String) -> Bool,
                         sessionCookie: String?) throws -> LoginProgress {
        guard let provider = provider(id: idpID), let connector = connectors[idpID] else {
            throw OAuthError.unknownIdP("No identity provider is configured under this name.")
        }
        let now = clock.now
        let pending = try consumeState(callback["state"], idpID: idpID, isBound: isBound, now: now)
        let request = try authorization.pendingRequest(id: pending.authorizationRequestID)
        guard request.status == .login || request.status == .approval else {
            throw OAuthError.loginExpired("This sign-in has moved on; please go back to the application.")
        }
        func refuse(_ error: OAuthError, citizen: String? = nil) -> OAuthError {
            audit.record("federation.refused", by: .anonymous, citizen: citizen, client: request.clientID, success: false,
                         detail: "\(idpID): \(error.code): \(error.debug ?? error.errorDescription)")
            return error
        }

        let identity: UpstreamIdentity
        do {
            identity = try connector.complete(callback: callback, for: UpstreamLogin(
                state: callback["state"] ?? "", nonce: pending.nonce, codeVerifier: pending.codeVerifier,
                redirectURI: pending.redirectURI))
        } catch {
            throw refuse(error)
        }
        guard let claimName = provider.claims["citizen_id"], let text = identity.claims[claimName]?.stringValue,
              let citizenID = CitizenID(text.trimmingCharacters(in: .whitespaces)) else {
            throw refuse(.federationNoCitizenID(debug: "claim \(provider.claims["citizen_id"] ?? "-") is missing or not a valid citizen ID"))
        }
        if let hint = request.loginHint, hint != citizenID.digits {
            throw refuse(.federationCitizenMismatch(debug: "login_hint names another citizen"), citizen: citizenID.digits)
        }
        do {
            try link(provider: provider, subject: identity.subject, citizenID: citizenID.digits, now: now)
        } catch let error as OAuthError {
            throw refuse(error, citizen: citizenID.digits)
        }
        try ensureCitizen(citizenID.digits, identity: identity, provider: provider, now: now)

        let reached = provider.assurance(acr: identity.acr)
        do {
            _ = try Assurance.satisfy(request.acrValues, with: reached)
        } catch {
            return try stepUp(request, citizenID: citizenID.digits, reached: reached, idpID: idpID)
        }
        audit.record("federation.authenticated", by: .anonymous, citizen: citizenID.digits, client: request.clientID,
                     detail: "\(idpID) \(reached.acr)")
        let session = try sessions.start(citizenID: citizenID.digits, deviceID: nil, assurance: reached,
                                         amr: Self.federatedAMR, replacing: sessionCookie)
        let updated = try store.update(AuthorizationRequestRecord.self, id: request.id) { record in
            guard record.status == .login || record.status == .approval else {
                throw OAuthError.loginExpired("This sign-in has moved on; please go back to the application.")
            }
            record.status = .consent
            record.citizenID = citizenID.digits
            record.authTime = session.record.authTime
            record.acr = session.record.acr
            record.amr = session.record.amr
            record.sessionID = session.record.sid
        }
        if let approvalID = request.approvalID { approvals.withdraw(id: approvalID) }
        if authorization.needsConsent(updated) {
            return LoginProgress(.consent(requestID: request.id), session: session)
        }
        return LoginProgress(try authorization.issueCode(requestID: request.id), session: session)
    }

    /// RFC 8176 has no value for "federated"; `fed` is the broker's, as the issue fixes it.
    public static let federatedAMR = ["fed"]

    // MARK: Steps

    private func consumeState(_ state: String?, idpID: String, isBound: (String) -> Bool,
                              now: Int64) throws -> UpstreamAuthorizationRecord {
        func refuse(_ why: String) -> OAuthError {
            audit.record("federation.refused", by: .anonymous, success: false, detail: "\(idpID): state \(why)")
            return .federationStateInvalid(debug: "state \(why)")
        }
        guard let state, !state.isEmpty, state.utf8.count <= 256 else { throw refuse("missing") }
        guard isBound(state) else { throw refuse("not bound to this browser") }
        let pending: UpstreamAuthorizationRecord
        do {
            pending = try store.consumeUpstreamAuthorization(id: SecretHash.of(state), now: now)
        } catch StorageError.notFound {
            throw refuse("unknown")
        }
        guard pending.usedAt == nil else { throw refuse("replayed") }
        guard pending.idpID == idpID else { throw refuse("issued for \(pending.idpID)") }
        guard pending.expiresAt > now else { throw refuse("expired") }
        return pending
    }

    /// Records the link on first use, else checks and touches it.
    private func link(provider: IdentityProvider, subject: String, citizenID: String, now: Int64) throws {
        let id = SecretHash.of(provider.id + "\n" + subject)
        for _ in 0..<2 {
            do {
                try store.update(FederationLinkRecord.self, id: id) { link in
                    guard link.revokedAt == nil else {
                        throw OAuthError.federationLinkRevoked(debug: "link \(id) was revoked")
                    }
                    guard link.citizenID == citizenID else {
                        throw OAuthError.federationCitizenMismatch(debug: "upstream identity is linked to another citizen")
                    }
                    link.lastUsedAt = now
                }
                return
            } catch StorageError.notFound {
                do {
                    try store.create(FederationLinkRecord(
                        id: id, citizenID: citizenID, idpID: provider.id, upstreamSubject: subject, firstUsedAt: now,
                        lastUsedAt: now))
                    audit.record("federation.linked", by: .anonymous, citizen: citizenID, detail: provider.id)
                    return
                } catch StorageError.alreadyExists {
                    continue   // a parallel first login created it: check it like any other
                }
            }
        }
    }

    /// A citizen first seen through an upstream is recorded from its mapped claims, at the
    /// upstream's IAL; a citizen the broker already proofed keeps its own record.
    private func ensureCitizen(_ citizenID: String, identity: UpstreamIdentity, provider: IdentityProvider, now: Int64) throws {
        if (try? store.citizen(id: citizenID)) != nil { return }
        func claim(_ field: String) -> String? { provider.claims[field].flatMap { identity.claims[$0]?.stringValue } }
        let birthdate = claim("birthdate").flatMap { Self.isDate($0) ? $0 : nil } ?? ""
        let citizen = CitizenRecord(
            id: citizenID, givenNameTH: claim("given_name_th") ?? claim("given_name") ?? "",
            givenNameEN: claim("given_name_en") ?? claim("given_name") ?? "",
            familyNameTH: claim("family_name_th") ?? claim("family_name") ?? "",
            familyNameEN: claim("family_name_en") ?? claim("family_name") ?? "", birthdate: birthdate,
            ial: provider.assurance(acr: identity.acr).ial, createdAt: now, updatedAt: now)
        do {
            try store.create(citizen)
        } catch StorageError.alreadyExists {
            return   // enrolled or federated in parallel: that record stands
        }
    }

    private static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return false }
        return bytes.enumerated().allSatisfy { index, byte in index == 4 || index == 7 || (0x30...0x39).contains(byte) }
    }

    /// The upstream's levels fall short of `acr_values`: a push to the citizen's phone (its AAL
    /// then comes from the device approval), or `unmet_authentication_requirements` to the
    /// relying party when the citizen has no enrolled device.
    private func stepUp(_ request: AuthorizationRequestRecord, citizenID: String, reached: Assurance,
                        idpID: String) throws -> LoginProgress {
        guard try store.activeDeviceCount(citizenID: citizenID) > 0 else {
            audit.record("federation.refused", by: .anonymous, citizen: citizenID, client: request.clientID, success: false,
                         detail: "\(idpID): \(reached.acr) does not meet \(request.acrValues.joined(separator: " ")); no device to step up")
            return LoginProgress(try authorization.fail(request, with: OAuthError(
                "unmet_authentication_requirements",
                "the identity provider reached \(reached.acr), which does not meet the requested acr_values, and the citizen has no enrolled device to step up")))
        }
        let client = try authorization.client(of: request)
        let approval = try approvals.request(citizenID: citizenID, client: client, request: request)
        try store.update(AuthorizationRequestRecord.self, id: request.id) { record in
            guard record.status == .login || record.status == .approval else {
                throw OAuthError.loginExpired("This sign-in has moved on; please go back to the application.")
            }
            record.status = .approval
            record.citizenID = citizenID
            record.approvalID = approval.id
            record.amr = Self.federatedAMR
        }
        if let old = request.approvalID, old != approval.id { approvals.withdraw(id: old) }
        audit.record("federation.step_up", by: .anonymous, citizen: citizenID, client: request.clientID,
                     detail: "\(idpID) \(reached.acr) < \(request.acrValues.joined(separator: " ")): \(approval.id)")
        return LoginProgress(.waiting(requestID: request.id))
    }
}
