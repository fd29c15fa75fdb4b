import Foundation
import JSON
import Storage

/// The browser login of the authorization code flow (OIDC Core §3.1): `/authorize` validation,
/// single sign-on, push approval, consent and the authorization code.
///
/// Each method moves one `AuthorizationRequestRecord` on, checking its status inside an atomic
/// update so that two tabs cannot both advance one request. The browser carries only the
/// request's id.
public struct AuthorizationService: Sendable {
    let store: any Store
    let clock: any Clock
    let random: any RandomSource
    let audit: Auditor
    let configuration: BrokerConfiguration
    let clients: ClientRegistry
    let approvals: ApprovalService
    let sessions: SessionService
    let consents: ConsentService
    /// Citizen IDs typed per login request (over the request's lifetime) and per client address
    /// (per minute).
    let attemptsPerRequest: AttemptLimiter
    let attemptsPerAddress: AttemptLimiter

    // MARK: /authorize

    /// Validates an authorization request (`AuthorizationPipeline.authorize`) and stores it.
    ///
    /// With a live broker session (`sessionCookie`) that satisfies `prompt`, `max_age`,
    /// `login_hint` and `acr_values`, no new login happens: the flow goes on to consent or
    /// straight back with a code. `prompt=none` without such a session is `login_required`, and
    /// with consent still needed `consent_required` (OIDC Core §3.1.2.6).
    public func authorize(_ parameters: AuthorizationParameters, sessionCookie: String?) throws -> LoginProgress {
        let context: AuthorizationContext
        switch AuthorizationPipeline.run(AuthorizationPipeline.authorize, on: AuthorizationContext(
            parameters: parameters, clients: clients, configuration: configuration)) {
        case .errorPage(let error): return LoginProgress(.errorPage(error))
        case .errorResponse(let response): return LoginProgress(.respond(response))
        case .valid(let valid): context = valid
        }
        guard let client = context.client, let redirectURI = context.redirectURI, let target = context.responseTarget else {
            throw OAuthError.serverError(debug: "authorize: the pipeline passed without client or redirect URI")
        }
        let now = clock.now
        var request = AuthorizationRequestRecord(
            id: random.identifier("azr"), clientID: client.id, redirectURI: redirectURI,
            responseMode: context.responseMode.rawValue, scopes: context.scopes, state: context.state, nonce: context.nonce,
            codeChallenge: context.codeChallenge, codeChallengeMethod: context.codeChallengeMethod, prompt: context.prompt,
            maxAge: context.maxAge, acrValues: context.acrValues, claims: context.claims, uiLocales: context.uiLocales,
            loginHint: context.loginHint, createdAt: now, expiresAt: now + configuration.authorizationRequestLifetime,
            status: .login, amr: [])
        request.idpHint = context.idpHint   // federation

        guard let session = usableSession(sessionCookie, for: request, now: now) else {
            if request.prompt.contains("none") {
                return LoginProgress(.respond(.error(.loginRequired("the citizen is not signed in at the broker"), to: target)))
            }
            try store.addAuthorizationRequest(request)
            return LoginProgress(.login(requestID: request.id))
        }
        request.status = .consent
        request.citizenID = session.citizenID
        request.authTime = session.authTime
        request.acr = session.acr
        request.amr = session.amr
        request.sessionID = session.sid
        if needsConsent(request) {
            if request.prompt.contains("none") {
                return LoginProgress(.respond(.error(.consentRequired("the citizen has not consented to this client"), to: target)))
            }
            try store.addAuthorizationRequest(request)
            return LoginProgress(.consent(requestID: request.id))
        }
        try store.addAuthorizationRequest(request)
        return LoginProgress(try issueCode(requestID: request.id))
    }

    /// The broker session that can stand in for a new login, or nil (OIDC Core §3.1.2.1:
    /// `prompt=login` and an exceeded `max_age` force re-authentication).
    private func usableSession(_ cookie: String?, for request: AuthorizationRequestRecord, now: Int64) -> BrokerSessionRecord? {
        guard let session = sessions.session(cookie: cookie), !request.prompt.contains("login") else { return nil }
        if let maxAge = request.maxAge, maxAge == 0 || now - session.authTime > maxAge { return nil }
        if let hint = request.loginHint, hint != session.citizenID { return nil }
        if !request.acrValues.isEmpty {
            guard let reached = Self.assurance(acr: session.acr), (try? Assurance.satisfy(request.acrValues, with: reached)) != nil else {
                return nil
            }
        }
        return session
    }

    /// The levels an `acr` of ours names (`phisut:ial-…:aal-…`).
    static func assurance(acr: String) -> Assurance? {
        guard let requirement = Assurance.Requirement(acr: acr), let ial = requirement.minimumIAL,
              let aal = requirement.minimumAAL else { return nil }
        return Assurance(ial: ial, aal: aal)
    }

    // MARK: Reading a request

    /// An authorization request still in progress. `login_expired` when unknown, timed out or
    /// finished.
    public func pendingRequest(id: String) throws -> AuthorizationRequestRecord {
        let request: AuthorizationRequestRecord
        do {
            request = try store.authorizationRequest(id: id)
        } catch StorageError.notFound {
            throw OAuthError.loginExpired("This sign-in has expired. Please start again from the application.")
        }
        guard request.expiresAt > clock.now, request.status != .done, request.status != .failed else {
            throw OAuthError.loginExpired("This sign-in has expired or is finished. Please start again from the application.")
        }
        return request
    }

    /// The client of a request in progress.
    public func client(of request: AuthorizationRequestRecord) throws -> Client {
        guard let client = clients.client(id: request.clientID) else {
            throw OAuthError.loginExpired("This application is no longer available.")
        }
        return client
    }

    func target(of request: AuthorizationRequestRecord) -> AuthorizationResponseTarget {
        AuthorizationResponseTarget(
            redirectURI: request.redirectURI, responseMode: ResponseMode(rawValue: request.responseMode) ?? .query,
            state: request.state, issuer: configuration.issuer)
    }

    /// Ends a request with an error for the relying party.
    func fail(_ request: AuthorizationRequestRecord, with error: OAuthError) throws -> LoginStep {
        try store.update(AuthorizationRequestRecord.self, id: request.id) { $0.status = .failed }
        return .respond(.error(error, to: target(of: request)))
    }

    func needsConsent(_ request: AuthorizationRequestRecord) -> Bool {
        guard let citizenID = request.citizenID else { return true }
        if request.prompt.contains("consent") { return true }
        return !consents.covers(citizenID: citizenID, clientID: request.clientID, scopes: request.scopes,
                                claims: claimNames(of: request))
    }

    func claimNames(of request: AuthorizationRequestRecord) -> [String] {
        ScopeCatalog.claimNames(scopes: request.scopes, claimsRequest: request.claims.flatMap { try? JSONValue(parsing: $0) })
    }
}
