import Broker
import Foundation
import HTTP
import JOSE
import Storage

/// The browser side of the login (OIDC Core §3.1): `/authorize`, the login, waiting and
/// consent pages under `/login/{id}`, RP-initiated logout, and the citizen's consent list.
///
/// Every page under `/login/{id}` needs the login cookie that `/authorize` set for that id (a
/// MAC only the broker can mint, scoped to that path), so a request id that leaks into another
/// browser is useless there; every form also carries a CSRF token bound to that cookie.
extension BrokerRoutes {
    static let sessionCookieName = "phisut_session"
    static let loginCookieName = "phisut_login"

    func registerFrontChannel(on router: Router) {
        router.get("/authorize", frontPage { [self] request in
            try authorize(request, AuthorizationParameters(try request.queryParameters().pairs))
        })
        router.post("/authorize", frontPage { [self] request in
            try authorize(request, AuthorizationParameters(try request.formParameters().pairs))
        })

        router.get("/login/{id}", frontPage { [self] request in
            let id = request.pathParameters["id"] ?? ""
            let binding = try loginBinding(request, id: id)
            if let upstream = try federationHint(request, requestID: id) { return upstream }   // federation: idp_hint
            return try loginPage(requestID: id, binding: binding, request: request, error: nil)
        })
        router.post("/login/{id}", frontPage { [self] request in
            let id = request.pathParameters["id"] ?? ""
            let binding = try loginBinding(request, id: id)
            let form = try request.formParameters()
            try checkCSRF(form, binding: binding)
            do {
                let step = try broker.authorization.submitCitizenID(
                    requestID: id, citizenID: try form.value("citizen_id"), address: request.remoteAddress)
                return render(LoginProgress(step), request: request)
            } catch let error as OAuthError
                        where ["invalid_citizen_id", "login_unavailable", "too_many_approvals", "too_many_attempts"].contains(error.code) {
                return try loginPage(requestID: id, binding: binding, request: request, error: error)
            }
        })
        // The waiting page refreshes itself (no scripts under our CSP) and moves on once the
        // phone decided; the continue form does the same on demand.
        router.get("/login/{id}/wait", frontPage { [self] request in
            let id = request.pathParameters["id"] ?? ""
            let binding = try loginBinding(request, id: id)
            return try proceed(request, requestID: id, binding: binding)
        })
        router.post("/login/{id}/continue", frontPage { [self] request in
            let id = request.pathParameters["id"] ?? ""
            let binding = try loginBinding(request, id: id)
            try checkCSRF(try request.formParameters(), binding: binding)
            return try proceed(request, requestID: id, binding: binding)
        })
        router.get("/login/{id}/consent", frontPage { [self] request in
            let id = request.pathParameters["id"] ?? ""
            let binding = try loginBinding(request, id: id)
            return try consentPage(broker.authorization.consentView(requestID: id), binding: binding, request: request)
        })
        router.post("/login/{id}/consent", frontPage { [self] request in
            let id = request.pathParameters["id"] ?? ""
            let binding = try loginBinding(request, id: id)
            let form = try request.formParameters()
            try checkCSRF(form, binding: binding)
            let allow: Bool
            switch try form.value("consent") {
            case "allow": allow = true
            case "deny": allow = false
            default: throw OAuthError.invalidRequest("consent must be allow or deny")
            }
            return render(LoginProgress(try broker.authorization.decideConsent(requestID: id, allow: allow)), request: request)
        })

        router.get("/logout", frontPage { [self] request in
            try endSession(request, AuthorizationParameters(try request.queryParameters().pairs), confirmed: false)
        })
        router.post("/logout", frontPage { [self] request in
            let form = try request.formParameters()
            // The broker's own confirmation form: its CSRF token is bound to the session cookie.
            var confirmed = false
            if try form.value("confirm") == "yes" {
                guard let cookie = request.cookies[Self.sessionCookieName] else {
                    throw OAuthError("invalid_csrf", "The form has expired. Please go back and try again.", status: 403)
                }
                try checkCSRF(form, binding: cookie)
                confirmed = true
            }
            return try endSession(request, AuthorizationParameters(form.pairs.filter { !["csrf", "confirm"].contains($0.name) }),
                                  confirmed: confirmed)
        })

        registerAccountPages(on: router)
    }

    // MARK: Handlers

    private func authorize(_ request: HTTPRequest, _ parameters: AuthorizationParameters) throws -> HTTPResponse {
        let progress = try broker.authorization.authorize(parameters, sessionCookie: request.cookies[Self.sessionCookieName])
        var response = render(progress, request: request, uiLocales: parameters.first("ui_locales"))
        if let id = progress.step.requestID {
            response.setCookie(SetCookie(
                name: Self.loginCookieName, value: loginForms.mac("login", id), path: "/login/\(id)",
                maxAge: Int(broker.configuration.authorizationRequestLifetime), secure: secureCookies, sameSite: .lax))
        }
        return response
    }

    private func proceed(_ request: HTTPRequest, requestID: String, binding: String) throws -> HTTPResponse {
        let progress = try broker.authorization.proceed(requestID: requestID, sessionCookie: request.cookies[Self.sessionCookieName])
        if case .waiting = progress.step {
            return try waitingPage(requestID: requestID, binding: binding, request: request)
        }
        return render(progress, request: request)
    }

    private func endSession(_ request: HTTPRequest, _ parameters: AuthorizationParameters, confirmed: Bool) throws -> HTTPResponse {
        let cookie = request.cookies[Self.sessionCookieName]
        let outcome = try broker.logout.logout(parameters, sessionCookie: cookie, confirmed: confirmed)
        if outcome.needsConfirmation, let cookie {
            return logoutConfirmationPage(parameters, binding: cookie, lang: pageLanguage(request, uiLocales: parameters.first("ui_locales")))
        }
        var response: HTTPResponse
        if let redirect = outcome.redirect {
            response = .redirect(to: redirect, status: request.method == "POST" ? 303 : 302)
        } else {
            let lang = pageLanguage(request, uiLocales: parameters.first("ui_locales"))
            response = .html(200, HTML.page(lang: lang, title: lang.pick("ออกจากระบบแล้ว", "Signed out"), body:
                "<h1 id=\"signed-out\">\(lang.pick("ออกจากระบบแล้ว", "You are signed out"))</h1>"))
        }
        response.setCookie(SetCookie(name: Self.sessionCookieName, value: "", path: "/", maxAge: 0, secure: secureCookies, sameSite: .lax))
        return response
    }

    /// "Sign out of the broker?": the logout request's own parameters, posted back with a CSRF
    /// token bound to the session cookie.
    private func logoutConfirmationPage(_ parameters: AuthorizationParameters, binding: String, lang: Language) -> HTTPResponse {
        let kept = ["id_token_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales"]
        let fields = kept.compactMap { name in parameters.first(name).map { HTML.hidden(name, $0) } }.joined(separator: "\n")
        let body = """
            <h1 id="confirm-logout">\(lang.pick("ออกจากระบบดิจิทัลไอดี?", "Sign out of your digital ID?"))</h1>
            <form id="logout-form" method="post" action="/logout">
            \(fields)
            \(HTML.hidden("csrf", loginForms.csrfToken(binding: binding)))
            <button type="submit" name="confirm" value="yes">\(lang.pick("ออกจากระบบ", "Sign out"))</button>
            </form>
            """
        return .html(200, HTML.page(lang: lang, title: lang.pick("ออกจากระบบ", "Sign out"), body: body))
    }

    // MARK: Rendering a step

    /// Turns a login step into the response: moves between the broker's pages are 303s; the
    /// answer to the relying party is a redirect (302 after a GET, 303 after a POST) or, for
    /// `form_post`, a page that posts it.
    func render(_ progress: LoginProgress, request: HTTPRequest, uiLocales: String? = nil) -> HTTPResponse {
        let lang = pageLanguage(request, uiLocales: uiLocales)
        var response: HTTPResponse
        switch progress.step {
        case .login(let id): response = .redirect(to: "/login/\(id)", status: 303)
        case .waiting(let id): response = .redirect(to: "/login/\(id)/wait", status: 303)
        case .consent(let id): response = .redirect(to: "/login/\(id)/consent", status: 303)
        case .respond(let answer):
            switch answer.responseMode {
            case .query: response = .redirect(to: answer.location, status: request.method == "POST" ? 303 : 302)
            case .formPost: response = formPostPage(answer, lang: lang)
            }
        case .errorPage(let error): response = errorPage(error, lang: lang)
        }
        if let session = progress.session {
            response.setCookie(SetCookie(
                name: Self.sessionCookieName, value: session.cookie, path: "/",
                maxAge: Int(broker.configuration.sessionLifetime), secure: secureCookies, sameSite: .lax))
        }
        return response
    }

    // MARK: Guards

    var secureCookies: Bool { !broker.configuration.isDevelopment }

    /// The login cookie of this request id, or a 403 page.
    func loginBinding(_ request: HTTPRequest, id: String) throws(OAuthError) -> String {
        guard let cookie = request.cookies[Self.loginCookieName], loginForms.verify(cookie, "login", id) else {
            throw OAuthError("login_not_bound", "This sign-in was started in another browser, or cookies are off. Please start again from the application.", status: 403)
        }
        return cookie
    }

    func checkCSRF(_ form: HTTPParameters, binding: String) throws {
        guard loginForms.checkCSRF(try form.value("csrf"), binding: binding) else {
            throw OAuthError("invalid_csrf", "The form has expired. Please go back and try again.", status: 403)
        }
    }

    /// `?lang=`, then the request's `ui_locales` (first of th/en), then `Accept-Language`.
    func pageLanguage(_ request: HTTPRequest, uiLocales: String?) -> Language {
        if let parameter = try? request.queryParameters().value("lang"), let lang = Language(rawValue: parameter) { return lang }
        for tag in (uiLocales ?? "").split(separator: " ") {
            let lower = tag.lowercased()
            if lower == "th" || lower.hasPrefix("th-") { return .th }
            if lower == "en" || lower.hasPrefix("en-") { return .en }
        }
        return Language.choose(parameter: nil, acceptLanguage: request.headers["Accept-Language"])
    }

    /// A page handler: any refusal becomes the broker's error page in the page language; never
    /// JSON, never a redirect.
    func frontPage(_ body: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) -> HTTPHandlerFunction {
        { [self] request in
            do {
                return try body(request)
            } catch let error as OAuthError where error.status < 500 {
                return errorPage(error, lang: pageLanguage(request, uiLocales: nil))
            } catch let error as HTTPParameterError {
                let refusal: OAuthError = switch error {
                case .duplicate(let name): .invalidRequest("\(name) is included more than once")
                case .malformed(let detail): .invalidRequest("the parameters are malformed: \(detail)")
                case .wrongContentType: .invalidRequest("the form must be application/x-www-form-urlencoded")
                }
                return errorPage(refusal, lang: pageLanguage(request, uiLocales: nil))
            } catch {
                log("front channel: \(error)")
                return errorPage(.serverError(debug: "\(error)"), lang: pageLanguage(request, uiLocales: nil))
            }
        }
    }
}

extension LoginStep {
    /// The authorization request a broker page of this step belongs to.
    var requestID: String? {
        switch self {
        case .login(let id), .waiting(let id), .consent(let id): id
        case .respond, .errorPage: nil
        }
    }
}
