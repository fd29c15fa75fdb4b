import Broker
import Foundation
import HTTP
import JSON
import Storage

/// The citizen's own consent list (`GET /account/consents`, HTML or JSON) and revocation
/// (`POST /account/consents/{client_id}/revoke`, with a CSRF token bound to the session
/// cookie), behind the broker session.
extension BrokerRoutes {
    func registerAccountPages(on router: Router) {
        router.get("/account/consents", frontPage { [self] request in
            let (session, cookie) = try accountSession(request)
            let consents = try broker.consents.list(citizenID: session.citizenID)
            if request.headers["Accept"]?.lowercased().contains("application/json") == true {
                return Responses.json(200, ["consents": .array(consents.map { consent in
                    [
                        "client_id": .string(consent.clientID),
                        "client_name": .string(broker.clients.client(id: consent.clientID)?.name ?? consent.clientID),
                        "scopes": .array(consent.scopes.map { .string($0) }),
                        "claims": .array(consent.claims.map { .string($0) }),
                        "granted_at": .int(consent.grantedAt),
                        "updated_at": .int(consent.updatedAt),
                    ]
                })])
            }
            let lang = pageLanguage(request, uiLocales: nil)
            let csrf = loginForms.csrfToken(binding: cookie)
            let rows = consents.map { consent -> String in
                let name = broker.clients.client(id: consent.clientID)?.displayName(lang.rawValue) ?? consent.clientID
                return """
                    <li data-client="\(HTML.escape(consent.clientID))"><strong>\(HTML.escape(name))</strong>
                    <span class="muted">\(HTML.escape(consent.scopes.joined(separator: " ")))</span>
                    <form method="post" action="/account/consents/\(FormEncoding.escape(consent.clientID))/revoke?lang=\(lang.rawValue)">
                    \(HTML.hidden("csrf", csrf))<button type="submit">\(lang.pick("เพิกถอน", "Revoke"))</button></form></li>
                    """
            }.joined(separator: "\n")
            let body = """
                <h1>\(lang.pick("ความยินยอมของคุณ", "Your consents"))</h1>
                \(consents.isEmpty ? "<p>\(lang.pick("ยังไม่มี", "None yet."))</p>" : "<ul id=\"consents\">\(rows)</ul>")
                """
            return .html(200, HTML.page(lang: lang, title: lang.pick("ความยินยอมของคุณ", "Your consents"), body: body))
        })

        router.post("/account/consents/{client_id}/revoke", frontPage { [self] request in
            let (session, cookie) = try accountSession(request)
            try checkCSRF(try request.formParameters(), binding: cookie)
            try broker.consents.revoke(citizenID: session.citizenID, clientID: request.pathParameters["client_id"] ?? "")
            let lang = pageLanguage(request, uiLocales: nil)
            return .redirect(to: "/account/consents?lang=\(lang.rawValue)", status: 303)
        })
    }

    private func accountSession(_ request: HTTPRequest) throws(OAuthError) -> (BrokerSessionRecord, String) {
        let cookie = request.cookies[Self.sessionCookieName]
        guard let cookie, let session = broker.sessions.session(cookie: cookie) else {
            throw OAuthError("login_required", "Sign in to an application with your digital ID first; then this page lists your consents.", status: 401)
        }
        return (session, cookie)
    }
}
