import Foundation
import JOSE
import JSON
import Storage

/// Where the browser goes after RP-initiated logout.
public struct LogoutOutcome: Sendable {
    /// The registered `post_logout_redirect_uri` with `state`, or nil for the broker's own
    /// "signed out" page.
    public let redirect: String?
    /// The broker session that was ended, if the browser had one.
    public let ended: BrokerSessionRecord?
    /// The browser has a live session but the request does not prove it comes from an RP of that
    /// session (no `id_token_hint` with its `sid`): nothing was ended, and the citizen must
    /// confirm first (RP-Initiated Logout §2: the OP "MUST ask the End-User this question if an
    /// id_token_hint was not provided or if the supplied ID Token does not belong to the current
    /// OP session"). Without this any site could sign the citizen out with a link.
    public let needsConfirmation: Bool
}

/// OpenID Connect RP-Initiated Logout 1.0 at the `end_session_endpoint`.
public struct LogoutService: Sendable {
    let clock: any Clock
    let configuration: BrokerConfiguration
    let clients: ClientRegistry
    let keys: KeyManager
    let sessions: SessionService

    /// Validates the logout request, then ends the browser's broker session.
    ///
    /// `id_token_hint` must be an ID token of ours: a signature by one of the published keys and
    /// our `iss` (expiry is not required: RP-Initiated Logout §2 allows expired hints). A
    /// `post_logout_redirect_uri` must be registered, exactly, for the client named by
    /// `client_id` or the hint's `aud`; errors are shown on the broker's page, never redirected.
    ///
    /// `confirmed` says the citizen answered the broker's own confirmation form (its CSRF token
    /// checked by the caller); otherwise a live session is ended only for an `id_token_hint` of
    /// that session, else `needsConfirmation` comes back and nothing is ended.
    public func logout(_ parameters: AuthorizationParameters, sessionCookie: String?,
                       confirmed: Bool = false) throws(OAuthError) -> LogoutOutcome {
        if let name = parameters.duplicatedNames.first { throw .invalidRequest("\(name) is included more than once") }
        let hint = try parameters.single("id_token_hint").map(verifiedHint)
        let hintAudiences = hint?.audiences ?? []
        let clientID = try parameters.single("client_id")
        if let clientID, !hintAudiences.isEmpty, !hintAudiences.contains(clientID) {
            throw .invalidRequest("client_id does not match the id_token_hint's audience")
        }
        var redirect: String?
        if let uri = try parameters.single("post_logout_redirect_uri") {
            guard let id = clientID ?? (hintAudiences.count == 1 ? hintAudiences.first : nil) else {
                throw .invalidRequest("post_logout_redirect_uri needs client_id or id_token_hint")
            }
            guard let client = clients.client(id: id) else { throw .invalidRequest("the client \(id) is not known") }
            guard client.postLogoutRedirectURIs.contains(uri) else {
                throw .invalidRequest("post_logout_redirect_uri is not registered for this client")
            }
            redirect = uri
            if let state = try parameters.single("state") {
                redirect = uri + (uri.contains("?") ? "&" : "?") + FormEncoding.query([("state", state)])
            }
        }
        if !confirmed, let live = sessions.session(cookie: sessionCookie), hint?.sid != live.sid {
            return LogoutOutcome(redirect: redirect, ended: nil, needsConfirmation: true)
        }
        let ended = sessions.end(cookie: sessionCookie, reason: "rp-initiated logout")
        return LogoutOutcome(redirect: redirect, ended: ended, needsConfirmation: false)
    }

    /// The `aud` and `sid` of an ID token the broker issued.
    private func verifiedHint(_ token: String) throws(OAuthError) -> (audiences: [String], sid: String?) {
        let claims: JSONValue
        do {
            let verified = try JWS.verify(token, allowed: Set(configuration.signingAlgorithms)) { header throws(JOSEError) in
                try keys.publishedKey(for: header)
            }
            claims = try JSONValue(parsing: verified.payload)
        } catch {
            throw .invalidRequest("id_token_hint is not an ID token issued by this broker", debug: "\(error)")
        }
        guard claims["iss"]?.stringValue == configuration.issuer else {
            throw .invalidRequest("id_token_hint was not issued by this broker")
        }
        let sid = claims["sid"]?.stringValue
        if let single = claims["aud"]?.stringValue { return ([single], sid) }
        return (claims["aud"]?.arrayValue?.compactMap(\.stringValue) ?? [], sid)
    }
}
