import Broker
import Foundation
import HTTP
import Storage

/// The hub's browser side (issue 7): starting a login at an upstream identity provider from
/// the login page or an `idp_hint`, the upstream's callback, and the citizen's links.
///
/// The callback is bound to the browser that started the login: `/login/{id}/federation/{idp}`
/// sets a cookie holding a MAC of the `state`, scoped to that upstream's callback path, so a
/// `state` (or a whole callback URL) replayed in another browser is refused.
extension BrokerRoutes {
    static let federationCookieName = "phisut_fed"

    func registerFederation(on router: Router) {
        router.get("/login/{id}/federation/{idp}", frontPage { [self] request in
            let id = request.pathParameters["id"] ?? ""
            _ = try loginBinding(request, id: id)
            return try startFederation(request, requestID: id, idpID: request.pathParameters["idp"] ?? "")
        })
        router.get("/federation/{idp}/callback", frontPage { [self] request in
            try federationCallback(request, idpID: request.pathParameters["idp"] ?? "")
        })
        registerFederationLinks(on: router)
    }

    /// The login page's hook: when the relying party named an upstream with `idp_hint`, go
    /// there at once (once: coming back shows the choices). Nil when there is no usable hint.
    func federationHint(_ request: HTTPRequest, requestID: String) throws -> HTTPResponse? {
        guard let idpID = try broker.federation.takeHint(requestID: requestID) else { return nil }
        return try startFederation(request, requestID: requestID, idpID: idpID)
    }

    private func startFederation(_ request: HTTPRequest, requestID: String, idpID: String) throws -> HTTPResponse {
        let lang = pageLanguage(request, uiLocales: nil)
        let redirect: FederationService.Redirect
        do {
            redirect = try broker.federation.begin(requestID: requestID, idpID: idpID)
        } catch let error as OAuthError where error.status < 500 || error.code.hasPrefix("upstream_") {
            return federationErrorPage(error, lang: lang, requestID: requestID)
        }
        var response = HTTPResponse.redirect(to: redirect.url, status: 303)
        response.setCookie(SetCookie(
            name: Self.federationCookieName, value: loginForms.mac("federation", redirect.state),
            path: "/federation/\(idpID)/callback", maxAge: Int(broker.configuration.upstreamStateLifetime),
            secure: secureCookies, sameSite: .lax))
        return response
    }

    private func federationCallback(_ request: HTTPRequest, idpID: String) throws -> HTTPResponse {
        let lang = pageLanguage(request, uiLocales: nil)
        var callback: [String: String] = [:]
        for (name, value) in try request.queryParameters().pairs {
            // RFC 6749 §3.1: parameters "MUST NOT be included more than once".
            guard callback[name] == nil else {
                return federationErrorPage(.invalidRequest("\(name) is included more than once"), lang: lang, requestID: nil)
            }
            callback[name] = value
        }
        let cookie = request.cookies[Self.federationCookieName]
        let progress: LoginProgress
        do {
            progress = try broker.federation.complete(
                idpID: idpID, callback: callback, isBound: { [loginForms] state in loginForms.verify(cookie, "federation", state) },
                sessionCookie: request.cookies[Self.sessionCookieName])
        } catch let error as OAuthError where error.status < 500 || error.code.hasPrefix("upstream_") {
            log("federation \(idpID): \(error)")
            return federationErrorPage(error, lang: lang, requestID: nil)
        }
        var response = render(progress, request: request)
        response.setCookie(SetCookie(
            name: Self.federationCookieName, value: "", path: "/federation/\(idpID)/callback", maxAge: 0,
            secure: secureCookies, sameSite: .lax))
        return response
    }
}
