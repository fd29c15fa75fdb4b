import Broker
import Foundation
import HTTP
import JSON
import Storage

/// The hub's pieces of the broker's pages: the upstream choices on the login page
/// (CONTRACT.md: one link per upstream with `data-idp`), its error page, and the citizen's
/// links (`/account/links`, HTML or JSON, behind the broker session).
extension BrokerRoutes {
    /// One link per upstream, name and logo in the page language; empty without upstreams.
    func federationChoices(requestID: String, lang: Language) -> String {
        let providers = broker.federation.providers
        guard !providers.isEmpty else { return "" }
        let links = providers.map { provider -> String in
            let logo = provider.logoURI.flatMap(Self.webURL).map {
                "<img src=\"\(HTML.escape($0))\" alt=\"\" width=\"24\" height=\"24\"> "
            } ?? ""
            return """
                <li><a class="idp" data-idp="\(HTML.escape(provider.id))" href="/login/\(FormEncoding.escape(requestID))/federation/\(provider.id)?lang=\(lang.rawValue)">\(logo)\(HTML.escape(provider.displayName(lang.rawValue)))</a></li>
                """
        }.joined(separator: "\n")
        return """
            <section id="idp-choices"><p>\(lang.pick("หรือเข้าสู่ระบบด้วย", "Or sign in with"))</p>
            <ul>\(links)</ul></section>
            """
    }

    /// The login page with the upstreams' logo origins allowed as image sources.
    func withFederationLogos(_ response: HTTPResponse) -> HTTPResponse {
        let origins = Set(broker.federation.providers.compactMap { $0.logoURI.flatMap(Self.webURL).flatMap(Self.origin) })
        guard !origins.isEmpty else { return response }
        var response = response
        response.headers["Content-Security-Policy"] =
            "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data: \(origins.sorted().joined(separator: " ")); form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        return response
    }

    /// A federation refusal in the page language, with the way back to the login page while
    /// the sign-in can still go on.
    func federationErrorPage(_ error: OAuthError, lang: Language, requestID: String?) -> HTTPResponse {
        let back = requestID.map {
            "<p><a id=\"back-to-login\" href=\"/login/\(FormEncoding.escape($0))?lang=\(lang.rawValue)\">\(lang.pick("เลือกวิธีเข้าสู่ระบบอื่น", "Choose another way to sign in"))</a></p>"
        } ?? ""
        let body = """
            <h1>\(lang.pick("ไม่สามารถเข้าสู่ระบบผ่านผู้ให้บริการยืนยันตัวตนได้", "Sign-in through the identity provider failed"))</h1>
            <p class="error" id="error" data-error="\(HTML.escape(error.code))">\(HTML.escape(Self.federationMessage(error, lang)))</p>
            \(back)
            """
        return .html(error.status, HTML.page(lang: lang, title: lang.pick("ข้อผิดพลาด", "Error"), body: body))
    }

    static func federationMessage(_ error: OAuthError, _ lang: Language) -> String {
        switch error.code {
        case "upstream_unavailable":
            lang.pick("ผู้ให้บริการยืนยันตัวตนไม่ตอบสนอง กรุณาลองใหม่ภายหลัง หรือเลือกวิธีอื่น", error.errorDescription)
        case "upstream_error":
            lang.pick("ผู้ให้บริการยืนยันตัวตนไม่ได้ยืนยันการเข้าสู่ระบบ กรุณาลองใหม่ หรือเลือกวิธีอื่น", error.errorDescription)
        case "upstream_invalid_response":
            lang.pick("ไม่สามารถตรวจสอบคำตอบของผู้ให้บริการยืนยันตัวตนได้ จึงหยุดการเข้าสู่ระบบ", error.errorDescription)
        case "federation_state_invalid":
            lang.pick("ลิงก์เข้าสู่ระบบนี้ใช้ไม่ได้ (ถูกใช้แล้ว หมดอายุ หรือเริ่มจากเบราว์เซอร์อื่น) กรุณาเริ่มใหม่จากแอปพลิเคชัน", error.errorDescription)
        case "federation_no_citizen_id":
            lang.pick("ผู้ให้บริการยืนยันตัวตนไม่ได้ยืนยันเลขประจำตัวประชาชนที่ถูกต้องของคุณ จึงใช้เข้าสู่ระบบที่นี่ไม่ได้", error.errorDescription)
        case "federation_link_revoked":
            lang.pick("คุณได้ยกเลิกการเชื่อมโยงกับผู้ให้บริการนี้แล้ว จึงใช้เข้าสู่ระบบไม่ได้", error.errorDescription)
        case "federation_citizen_mismatch":
            lang.pick("ผู้ให้บริการยืนยันตัวตนยืนยันบุคคลที่ไม่ตรงกับที่คาดไว้ กรุณาเริ่มใหม่", error.errorDescription)
        case "login_expired", "login_not_bound":
            lang.pick("การเข้าสู่ระบบนี้หมดอายุหรือไม่ถูกต้อง กรุณาเริ่มใหม่จากแอปพลิเคชัน", error.errorDescription)
        case "too_many_approvals":
            lang.pick("มีคำขอรอการยืนยันบนโทรศัพท์มากเกินไป กรุณาลองใหม่ในอีกสักครู่", error.errorDescription)
        default:
            error.errorDescription
        }
    }

    // MARK: /account/links

    func registerFederationLinks(on router: Router) {
        router.get("/account/links", frontPage { [self] request in
            let (session, cookie) = try federationAccount(request)
            let links = try broker.federation.links(citizenID: session.citizenID)
            if request.headers["Accept"]?.lowercased().contains("application/json") == true {
                return Responses.json(200, ["links": .array(links.map { link in
                    var entry: [String: JSONValue] = [
                        "link_id": .string(link.id), "idp": .string(link.idpID),
                        "idp_name": .string(broker.federation.provider(id: link.idpID)?.displayNameEN ?? link.idpID),
                        "first_used_at": .int(link.firstUsedAt), "last_used_at": .int(link.lastUsedAt),
                    ]
                    if let revoked = link.revokedAt { entry["revoked_at"] = .int(revoked) }
                    return .object(entry)
                })])
            }
            let lang = pageLanguage(request, uiLocales: nil)
            let csrf = loginForms.csrfToken(binding: cookie)
            let rows = links.map { link -> String in
                let name = broker.federation.provider(id: link.idpID)?.displayName(lang.rawValue) ?? link.idpID
                let action = link.revokedAt == nil ? """
                    <form method="post" action="/account/links/\(link.id)/revoke?lang=\(lang.rawValue)">\(HTML.hidden("csrf", csrf))<button type="submit">\(lang.pick("ยกเลิกการเชื่อมโยง", "Unlink"))</button></form>
                    """ : "<span class=\"muted\">\(lang.pick("ยกเลิกแล้ว", "Unlinked"))</span>"
                return """
                    <li data-link="\(HTML.escape(link.id))" data-idp="\(HTML.escape(link.idpID))"><strong>\(HTML.escape(name))</strong>
                    <span class="muted">\(lang.pick("ใช้ครั้งแรก", "first used")) \(Self.date(link.firstUsedAt)), \(lang.pick("ล่าสุด", "last used")) \(Self.date(link.lastUsedAt))</span>
                    \(action)</li>
                    """
            }.joined(separator: "\n")
            let title = lang.pick("ผู้ให้บริการยืนยันตัวตนที่เชื่อมโยง", "Linked identity providers")
            let body = "<h1>\(title)</h1>\n" + (links.isEmpty ? "<p>\(lang.pick("ยังไม่มี", "None yet."))</p>" : "<ul id=\"links\">\(rows)</ul>")
            return .html(200, HTML.page(lang: lang, title: title, body: body))
        })

        router.post("/account/links/{link}/revoke", frontPage { [self] request in
            let (session, cookie) = try federationAccount(request)
            try checkCSRF(try request.formParameters(), binding: cookie)
            try broker.federation.revokeLink(citizenID: session.citizenID, linkID: request.pathParameters["link"] ?? "")
            return .redirect(to: "/account/links?lang=\(pageLanguage(request, uiLocales: nil).rawValue)", status: 303)
        })
    }

    private func federationAccount(_ request: HTTPRequest) throws(OAuthError) -> (BrokerSessionRecord, String) {
        guard let cookie = request.cookies[Self.sessionCookieName], let session = broker.sessions.session(cookie: cookie) else {
            throw OAuthError("login_required", "Sign in to an application with your digital ID first; then this page lists your linked identity providers.", status: 401)
        }
        return (session, cookie)
    }

    private static func date(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
