import Foundation
import Storage

extension AuthorizationService {
    /// What the consent page of this request shows.
    public func consentView(requestID: String) throws -> ConsentView {
        let request = try pendingRequest(id: requestID)
        guard request.status == .consent else {
            throw OAuthError.loginExpired("This sign-in is not waiting for consent.")
        }
        return ConsentView(request: request, client: try client(of: request), claims: claimNames(of: request))
    }

    /// The citizen allowed or denied on the consent page. Allowing records the consent and
    /// returns the code; denying returns `access_denied` (RFC 6749 §4.1.2.1).
    public func decideConsent(requestID: String, allow: Bool) throws -> LoginStep {
        let view = try consentView(requestID: requestID)
        guard let citizenID = view.request.citizenID else {
            throw OAuthError.serverError(debug: "consent step without a citizen")
        }
        guard allow else {
            consents.denied(citizenID: citizenID, clientID: view.client.id, scopes: view.request.scopes)
            return try fail(view.request, with: .accessDenied("the citizen did not consent"))
        }
        try consents.grant(citizenID: citizenID, clientID: view.client.id, scopes: view.request.scopes, claims: view.claims)
        return try issueCode(requestID: requestID)
    }

    /// Issues the authorization code of an authenticated, consented request (login-common.md,
    /// "Authorization code hand-off"): 256 random bits, stored as their SHA-256, valid
    /// `authorizationCodeLifetime` seconds, bound to a fresh grant id. The request is finished
    /// in the same transaction, so it yields one code at most.
    func issueCode(requestID: String) throws -> LoginStep {
        let now = clock.now
        let code = random.token()
        let request = try store.transaction { tx in
            let request = try tx.update(AuthorizationRequestRecord.self, id: requestID) { record in
                guard record.status == .consent else {
                    throw OAuthError.loginExpired("This sign-in is finished.")
                }
                record.status = .done
            }
            guard let citizenID = request.citizenID, let authTime = request.authTime, let acr = request.acr else {
                throw OAuthError.serverError(debug: "issueCode: request \(requestID) is not authenticated")
            }
            try tx.addAuthorizationCode(AuthorizationCodeRecord(
                id: SecretHash.of(code), clientID: request.clientID, redirectURI: request.redirectURI, citizenID: citizenID,
                scopes: request.scopes, nonce: request.nonce, codeChallenge: request.codeChallenge,
                codeChallengeMethod: request.codeChallengeMethod, claims: request.claims, authTime: authTime, acr: acr,
                amr: request.amr, sessionID: request.sessionID, grantID: random.identifier("grt"), createdAt: now,
                expiresAt: now + configuration.authorizationCodeLifetime))
            return request
        }
        audit.record("authorization.code_issued", by: .anonymous, citizen: request.citizenID, client: request.clientID,
                     detail: request.scopes.joined(separator: " "))
        return .respond(.code(code, to: target(of: request)))
    }
}
