import Broker
import Foundation
import HTTP
import Storage

/// The login, waiting, consent, error and form_post pages (CONTRACT.md "Browser pages"): plain
/// HTML, Thai or English, no scripts.
extension BrokerRoutes {
    func loginPage(requestID: String, binding: String, request: HTTPRequest, error: OAuthError?) throws -> HTTPResponse {
        let state = try broker.authorization.approvalState(requestID: requestID)
        let client = try broker.authorization.client(of: state.request)
        let lang = pageLanguage(request, uiLocales: state.request.uiLocales.joined(separator: " "))
        var notice = ""
        if error == nil, let approval = state.approval, approval.status == .expired {
            notice = "<p class=\"error\">\(lang.pick("คำขอบนโทรศัพท์หมดเวลาแล้ว กรุณาลองอีกครั้ง", "The request on your phone timed out. Please try again."))</p>"
        }
        let message = error.map { "<p class=\"error\" id=\"login-error\">\(HTML.escape(localized($0, lang)))</p>" } ?? ""
        let prefill = state.request.loginHint.map { " value=\"\(HTML.escape($0))\"" } ?? ""
        let body = """
            <h1>\(lang.pick("เข้าสู่ระบบ", "Sign in"))</h1>
            <p>\(lang.pick("เพื่อใช้งาน", "to continue to")) <strong>\(HTML.escape(client.displayName(lang.rawValue)))</strong></p>
            \(notice)\(message)
            <form id="login-form" method="post" action="/login/\(requestID)?lang=\(lang.rawValue)">
            \(HTML.hidden("csrf", loginForms.csrfToken(binding: binding)))
            <label for="citizen_id">\(lang.pick("เลขประจำตัวประชาชน 13 หลัก", "13-digit citizen ID"))</label>
            <input id="citizen_id" name="citizen_id" inputmode="numeric" pattern="[0-9]{13}" maxlength="13" autocomplete="off" required\(prefill)>
            <button type="submit">\(lang.pick("ส่งคำขอไปยังโทรศัพท์", "Send a request to my phone"))</button>
            </form>
            \(federationChoices(requestID: requestID, lang: lang))
            """
        let status = error.map { $0.status == 429 ? 429 : 400 } ?? 200
        return withFederationLogos(.html(status, HTML.page(lang: lang, title: lang.pick("เข้าสู่ระบบ", "Sign in"), body: body)))
    }

    func waitingPage(requestID: String, binding: String, request: HTTPRequest) throws -> HTTPResponse {
        let state = try broker.authorization.approvalState(requestID: requestID)
        let lang = pageLanguage(request, uiLocales: state.request.uiLocales.joined(separator: " "))
        let number = state.approval?.numberChallenge ?? ""
        let left = max(0, (state.approval?.expiresAt ?? 0) - broker.clock.now)
        let body = """
            <h1>\(lang.pick("ยืนยันบนโทรศัพท์ของคุณ", "Approve on your phone"))</h1>
            <p>\(lang.pick("เปิดแอปบนโทรศัพท์ แล้วพิมพ์ตัวเลขนี้", "Open the app on your phone and type this number:"))</p>
            <p style="font-size:3rem;letter-spacing:.3rem"><output id="number-challenge">\(HTML.escape(number))</output></p>
            <p class="muted">\(lang.pick("เวลาที่เหลือ", "Time left")): \(left / 60):\(String(format: "%02d", left % 60))</p>
            <form id="continue-form" method="post" action="/login/\(requestID)/continue?lang=\(lang.rawValue)">
            \(HTML.hidden("csrf", loginForms.csrfToken(binding: binding)))
            <button type="submit">\(lang.pick("ดำเนินการต่อ", "Continue"))</button>
            </form>
            """
        let refresh = "<meta http-equiv=\"refresh\" content=\"2\">"
        return .html(200, HTML.page(lang: lang, title: lang.pick("รอการยืนยัน", "Waiting for approval"), head: refresh, body: body))
    }

    func consentPage(_ view: ConsentView, binding: String, request: HTTPRequest) -> HTTPResponse {
        let lang = pageLanguage(request, uiLocales: view.request.uiLocales.joined(separator: " "))
        let client = view.client
        let name = HTML.escape(client.displayName(lang.rawValue))
        var links: [String] = []
        if let policy = client.policyURI.flatMap(Self.webURL) {
            links.append("<a id=\"client-policy\" href=\"\(HTML.escape(policy))\" rel=\"noopener\">\(lang.pick("นโยบายความเป็นส่วนตัว", "Privacy policy"))</a>")
        }
        if let tos = client.tosURI.flatMap(Self.webURL) {
            links.append("<a id=\"client-tos\" href=\"\(HTML.escape(tos))\" rel=\"noopener\">\(lang.pick("ข้อกำหนดการใช้งาน", "Terms of service"))</a>")
        }
        let logo = client.logoURI.flatMap(Self.webURL)
        let claims = view.claims.map { "<li data-claim=\"\(HTML.escape($0))\">\(HTML.escape(Self.claimLabel($0, lang)))</li>" }.joined()
        let body = """
            <h1>\(lang.pick("ขอความยินยอม", "Consent"))</h1>
            \(logo.map { "<img id=\"client-logo\" src=\"\(HTML.escape($0))\" alt=\"\" width=\"64\" height=\"64\">" } ?? "")
            <p><strong id="client-name">\(name)</strong> \(lang.pick("ขอรับข้อมูลต่อไปนี้ของคุณ", "asks for the following information about you"))</p>
            <ul id="consent-claims">\(claims)</ul>
            <p class="muted">\(lang.pick("ขอบเขต", "Scopes")): \(HTML.escape(view.request.scopes.joined(separator: " ")))</p>
            \(links.isEmpty ? "" : "<p>" + links.joined(separator: " · ") + "</p>")
            <form id="consent-form" method="post" action="/login/\(view.request.id)/consent?lang=\(lang.rawValue)">
            \(HTML.hidden("csrf", loginForms.csrfToken(binding: binding)))
            <button type="submit" name="consent" value="allow">\(lang.pick("อนุญาต", "Allow"))</button>
            <button type="submit" name="consent" value="deny">\(lang.pick("ไม่อนุญาต", "Deny"))</button>
            </form>
            """
        var response = HTTPResponse.html(200, HTML.page(lang: lang, title: lang.pick("ขอความยินยอม", "Consent"), body: body))
        if let origin = logo.flatMap(Self.origin) {
            // The client's logo is the one outside image this page may load.
            response.headers["Content-Security-Policy"] =
                "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data: \(origin); form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        }
        return response
    }

    func errorPage(_ error: OAuthError, lang: Language) -> HTTPResponse {
        let body = """
            <h1>\(lang.pick("ไม่สามารถดำเนินการได้", "This request cannot be completed"))</h1>
            <p class="error" id="error" data-error="\(HTML.escape(error.code))">\(HTML.escape(localized(error, lang)))</p>
            """
        return .html(error.status, HTML.page(lang: lang, title: lang.pick("ข้อผิดพลาด", "Error"), body: body))
    }

    /// OAuth 2.0 Form Post Response Mode §2: the parameters as hidden fields of a form posted to
    /// the redirect URI. Our pages run no scripts, so the citizen presses the button; the CSP's
    /// `form-action` is widened to that redirect URI for this one response.
    func formPostPage(_ answer: AuthorizationResponse, lang: Language) -> HTTPResponse {
        let fields = answer.parameters.map { HTML.hidden($0.name, $0.value) }.joined(separator: "\n")
        let body = """
            <h1>\(lang.pick("กลับไปยังแอปพลิเคชัน", "Back to the application"))</h1>
            <form id="form-post" method="post" action="\(HTML.escape(answer.redirectURI))">
            \(fields)
            <button type="submit">\(lang.pick("ดำเนินการต่อ", "Continue"))</button>
            </form>
            """
        var response = HTTPResponse.html(200, HTML.page(lang: lang, title: lang.pick("กลับไปยังแอปพลิเคชัน", "Back to the application"), body: body))
        response.headers["Content-Security-Policy"] =
            "default-src 'none'; style-src 'self' 'unsafe-inline'; form-action \(Self.cspSource(answer.redirectURI)); frame-ancestors 'none'; base-uri 'none'"
        return response
    }

    // MARK: Helpers

    /// The page text of a refusal: the contract's messages in the page language, else the
    /// error's own description.
    func localized(_ error: OAuthError, _ lang: Language) -> String {
        switch error.code {
        case "login_unavailable":
            lang.pick("ไม่สามารถเข้าสู่ระบบด้วยเลขประจำตัวประชาชนนี้ได้ กรุณาตรวจสอบหมายเลข หรือลงทะเบียนโทรศัพท์ที่สำนักงานทะเบียน",
                      error.errorDescription)
        case "too_many_approvals":
            // ciba: one text for both caps (pending, hourly)
            lang.pick("มีคำขอเข้าสู่ระบบส่งไปยังโทรศัพท์ของคุณมากเกินไป กรุณาลองใหม่ภายหลัง",
                      "Too many sign-in requests have been sent to your phone. Please try again later.")
        case "too_many_attempts":
            lang.pick("มีการลองเลขประจำตัวประชาชนมากเกินไป กรุณารอสักครู่แล้วเริ่มใหม่จากแอปพลิเคชัน", error.errorDescription)
        case "invalid_citizen_id":
            lang.pick("เลขประจำตัวประชาชนต้องมี 13 หลักและเลขตรวจสอบถูกต้อง", "The citizen ID must have 13 digits and a valid check digit.")
        case "login_expired", "login_not_bound", "invalid_csrf":
            lang.pick("การเข้าสู่ระบบนี้หมดอายุหรือไม่ถูกต้อง กรุณาเริ่มใหม่จากแอปพลิเคชัน", error.errorDescription)
        default:
            error.errorDescription
        }
    }

    static func claimLabel(_ claim: String, _ lang: Language) -> String {
        switch claim {
        case "sub": lang.pick("ตัวระบุของคุณสำหรับบริการนี้", "An identifier for you at this service")
        case "given_name", "given_name#th", "given_name#en": lang.pick("ชื่อ", "Given name") + Self.languageTag(claim, lang)
        case "family_name", "family_name#th", "family_name#en": lang.pick("นามสกุล", "Family name") + Self.languageTag(claim, lang)
        case "name", "name#th": lang.pick("ชื่อ-นามสกุล", "Full name") + Self.languageTag(claim, lang)
        case "birthdate": lang.pick("วันเกิด", "Date of birth")
        case "pid": lang.pick("เลขประจำตัวประชาชน", "Citizen ID number")
        default: claim
        }
    }

    private static func languageTag(_ claim: String, _ lang: Language) -> String {
        if claim.hasSuffix("#th") { return lang.pick(" (ไทย)", " (Thai)") }
        if claim.hasSuffix("#en") { return lang.pick(" (อังกฤษ)", " (English)") }
        return ""
    }

    /// An absolute http(s) URL, or nil: nothing else may become a link or an image source.
    static func webURL(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              url.host != nil else { return nil }
        return text
    }

    /// `scheme://host[:port]` of a URL, for a CSP source list.
    static func origin(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme, let host = url.host else { return nil }
        let source = scheme + "://" + host + (url.port.map { ":\($0)" } ?? "")
        return cspSource(source)
    }

    /// A URL as a CSP source expression (CSP3 §2.3.1): without query or fragment (a source has
    /// none), and with the characters that would end the directive or the list escaped.
    static func cspSource(_ uri: String) -> String {
        let base = uri.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        var out = ""
        for scalar in base.unicodeScalars {
            switch scalar {
            case ";", ",", " ", "\t", "\r", "\n", "'": out += "%" + String(scalar.value, radix: 16, uppercase: true)
            default:
                if scalar.value < 0x21 || scalar.value > 0x7E {
                    for byte in String(scalar).utf8 { out += "%" + String(format: "%02X", byte) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
