import Broker
import Foundation
import HTTP
import JOSE
import Storage

/// The officer desk: sign in with the officer token, fill in the citizen's details from the
/// checked ID card, show the enrollment QR code and the time it has left. Thai or English.
extension BrokerRoutes {
    func registerOfficerDesk(on router: Router) {
        router.get("/officer/desk", page { [self] request, lang in
            guard let officer = deskOfficer(request) else { return signInPage(lang: lang, error: nil) }
            return enrollmentFormPage(officer: officer, session: request.cookies[DeskSessions.cookieName] ?? "",
                                      lang: lang, error: nil)
        })

        router.post("/officer/desk/login", page { [self] request, lang in
            let form = try request.formParameters()
            guard desk.checkCSRF(try form.value("csrf"), binding: request.cookies[DeskSessions.preSessionCookieName]) else {
                return signInPage(lang: lang, error: lang.pick("แบบฟอร์มหมดอายุ กรุณาลองอีกครั้ง", "The form expired; please try again."), status: 403)
            }
            let officer: OfficerRecord
            do {
                officer = try broker.officers.authenticate(bearer: try form.value("token"))
            } catch {
                return signInPage(lang: lang, error: lang.pick("โทเคนเจ้าหน้าที่ไม่ถูกต้อง", "The officer token is not valid."), status: 401)
            }
            broker.audit.record("officer.desk_signed_in", by: .officer(officer))
            var response = HTTPResponse.redirect(to: "/officer/desk?lang=\(lang.rawValue)", status: 303)
            response.setCookie(SetCookie(
                name: DeskSessions.cookieName, value: desk.issue(officerID: officer.id, now: broker.clock.now),
                path: "/officer/desk", maxAge: Int(DeskSessions.lifetime), secure: desk.secureCookies, sameSite: .strict))
            return response
        })

        router.post("/officer/desk/logout", page { [self] request, lang in
            let form = try request.formParameters()
            guard desk.checkCSRF(try form.value("csrf"), binding: request.cookies[DeskSessions.cookieName]) else {
                return signInPage(lang: lang, error: nil, status: 403)
            }
            var response = HTTPResponse.redirect(to: "/officer/desk?lang=\(lang.rawValue)", status: 303)
            response.setCookie(SetCookie(name: DeskSessions.cookieName, value: "", path: "/officer/desk", maxAge: 0,
                                         secure: desk.secureCookies, sameSite: .strict))
            return response
        })

        router.post("/officer/desk/enrollments", page { [self] request, lang in
            let session = request.cookies[DeskSessions.cookieName]
            guard let officer = deskOfficer(request), let session else { return signInPage(lang: lang, error: nil, status: 401) }
            let form = try request.formParameters()
            guard desk.checkCSRF(try form.value("csrf"), binding: session) else {
                return enrollmentFormPage(officer: officer, session: session, lang: lang,
                                          error: lang.pick("แบบฟอร์มหมดอายุ", "The form expired."), status: 403)
            }
            let application = EnrollmentApplication(
                citizenID: try form.value("citizen_id"), givenNameTH: try form.value("given_name_th"),
                givenNameEN: try form.value("given_name_en"), familyNameTH: try form.value("family_name_th"),
                familyNameEN: try form.value("family_name_en"), birthdate: try form.value("birthdate"),
                cardLaserCode: try form.value("card_laser_code").flatMap { $0.isEmpty ? nil : $0 })
            do {
                let ticket = try broker.enrollment.start(application, by: officer)
                return .redirect(to: "/officer/desk/enrollments/\(ticket.enrollmentID)?lang=\(lang.rawValue)", status: 303)
            } catch let error as OAuthError where error.status < 500 {
                return enrollmentFormPage(officer: officer, session: session, lang: lang, error: error.errorDescription, status: 400)
            }
        })

        router.get("/officer/desk/enrollments/{id}", page { [self] request, lang in
            guard let officer = deskOfficer(request) else { return signInPage(lang: lang, error: nil, status: 401) }
            let id = request.pathParameters["id"] ?? ""
            let record = try broker.enrollment.enrollment(id: id, officer: officer)
            return qrPage(record: record, officer: officer, lang: lang)
        })
    }

    /// A page handler: the language is chosen once; errors become a page, never JSON.
    private func page(_ body: @escaping @Sendable (HTTPRequest, Language) throws -> HTTPResponse) -> HTTPHandlerFunction {
        { [log] request in
            let lang = Language.choose(parameter: try? request.queryParameters().value("lang"),
                                       acceptLanguage: request.headers["Accept-Language"])
            do {
                return try body(request, lang)
            } catch let error as OAuthError where error.status < 500 {
                return .html(error.status, HTML.page(lang: lang, title: "Phisut", body:
                    "<p class=\"error\">\(HTML.escape(error.errorDescription))</p><p><a href=\"/officer/desk?lang=\(lang.rawValue)\">\(lang.pick("กลับ", "Back"))</a></p>"))
            } catch let error as HTTPParameterError {
                return .html(400, HTML.page(lang: lang, title: "Phisut", body: "<p class=\"error\">\(HTML.escape("\(error)"))</p>"))
            } catch {
                log("officer desk: \(error)")
                return .html(500, HTML.page(lang: lang, title: "Phisut", body: "<p class=\"error\">\(lang.pick("เกิดข้อผิดพลาด", "Something went wrong."))</p>"))
            }
        }
    }

    private func deskOfficer(_ request: HTTPRequest) -> OfficerRecord? {
        guard let id = desk.officerID(fromCookie: request.cookies[DeskSessions.cookieName], now: broker.clock.now) else { return nil }
        return try? broker.officers.active(id: id)
    }

    private func signInPage(lang: Language, error: String?, status: Int = 200) -> HTTPResponse {
        let pre = Base64URL.encode(Crypto.randomBytes(16))
        let body = """
            \(languageSwitch(lang, path: "/officer/desk"))
            <h1>\(lang.pick("โต๊ะเจ้าหน้าที่ลงทะเบียน", "Registration officer desk"))</h1>
            \(error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? "")
            <form id="desk-login-form" method="post" action="/officer/desk/login?lang=\(lang.rawValue)">
            \(HTML.hidden("csrf", desk.csrfToken(binding: pre)))
            <label for="token">\(lang.pick("โทเคนเจ้าหน้าที่", "Officer token"))</label>
            <input id="token" name="token" type="password" autocomplete="off" required>
            <button type="submit">\(lang.pick("เข้าสู่ระบบ", "Sign in"))</button>
            </form>
            """
        var response = HTTPResponse.html(status, HTML.page(lang: lang, title: lang.pick("โต๊ะเจ้าหน้าที่", "Officer desk"), body: body))
        response.setCookie(SetCookie(name: DeskSessions.preSessionCookieName, value: pre, path: "/officer/desk", maxAge: 3600,
                                     secure: desk.secureCookies, sameSite: .strict))
        return response
    }

    private func enrollmentFormPage(officer: OfficerRecord, session: String, lang: Language, error: String?, status: Int = 200) -> HTTPResponse {
        let csrf = desk.csrfToken(binding: session)
        func field(_ name: String, _ th: String, _ en: String, type: String = "text", required: Bool = true, extra: String = "") -> String {
            "<label for=\"\(name)\">\(lang.pick(th, en))</label><input id=\"\(name)\" name=\"\(name)\" type=\"\(type)\"\(required ? " required" : "") \(extra)>"
        }
        let body = """
            \(languageSwitch(lang, path: "/officer/desk"))
            <h1>\(lang.pick("เริ่มการลงทะเบียน", "Start an enrollment"))</h1>
            <p class="muted">\(HTML.escape(officer.name)) · \(lang.pick("สำนักงาน", "office")) \(HTML.escape(officer.officeCode))</p>
            \(error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? "")
            <form id="enrollment-form" method="post" action="/officer/desk/enrollments?lang=\(lang.rawValue)">
            \(HTML.hidden("csrf", csrf))
            \(field("citizen_id", "เลขประจำตัวประชาชน 13 หลัก", "13-digit citizen ID", extra: "inputmode=\"numeric\" pattern=\"[0-9]{13}\" maxlength=\"13\""))
            \(field("given_name_th", "ชื่อ (ไทย)", "Given name (Thai)"))
            \(field("family_name_th", "นามสกุล (ไทย)", "Family name (Thai)"))
            \(field("given_name_en", "ชื่อ (อังกฤษ)", "Given name (English)"))
            \(field("family_name_en", "นามสกุล (อังกฤษ)", "Family name (English)"))
            \(field("birthdate", "วันเกิด", "Birthdate", type: "date"))
            \(field("card_laser_code", "เลขหลังบัตร (ไม่บังคับ)", "Card laser code (optional)", required: false))
            <button type="submit">\(lang.pick("สร้างคิวอาร์โค้ด", "Create the QR code"))</button>
            </form>
            <form method="post" action="/officer/desk/logout?lang=\(lang.rawValue)">\(HTML.hidden("csrf", csrf))
            <button type="submit">\(lang.pick("ออกจากระบบ", "Sign out"))</button></form>
            """
        return .html(status, HTML.page(lang: lang, title: lang.pick("เริ่มการลงทะเบียน", "Start an enrollment"), body: body))
    }

    private func qrPage(record: EnrollmentRecord, officer: OfficerRecord, lang: Language) -> HTTPResponse {
        let now = broker.clock.now
        let left = max(0, record.expiresAt - now)
        let back = "<p><a href=\"/officer/desk?lang=\(lang.rawValue)\">\(lang.pick("ลงทะเบียนคนถัดไป", "Next enrollment"))</a></p>"
        let content: String
        if record.status == .used {
            content = "<p>\(lang.pick("ลงทะเบียนอุปกรณ์เรียบร้อยแล้ว", "The device is enrolled."))</p>"
        } else if let payload = try? broker.enrollment.qrPayload(enrollmentID: record.id, officer: officer),
                  let svg = try? QRCodeSVG.render(payload) {
            content = """
                <p>\(lang.pick("ให้ประชาชนสแกนคิวอาร์โค้ดนี้ด้วยแอป", "Let the citizen scan this code with the app."))</p>
                <figure id="enrollment-qr">\(svg)</figure>
                <p>\(lang.pick("เวลาที่เหลือ", "Time left")): <output id="time-left">\(left / 60):\(String(format: "%02d", left % 60))</output></p>
                """
        } else {
            content = "<p class=\"error\">\(lang.pick("คิวอาร์โค้ดหมดอายุหรือถูกใช้แล้ว กรุณาเริ่มใหม่", "This code has expired or was burned; start again."))</p>"
        }
        let refresh = record.status == .pending && left > 0 ? "<meta http-equiv=\"refresh\" content=\"\(min(10, left))\">" : ""
        let body = "<h1>\(lang.pick("คิวอาร์โค้ดลงทะเบียน", "Enrollment QR code"))</h1>\(content)\(back)"
        return .html(200, HTML.page(lang: lang, title: lang.pick("คิวอาร์โค้ด", "QR code"), head: refresh, body: body))
    }

    private func languageSwitch(_ lang: Language, path: String) -> String {
        "<nav><a href=\"\(path)?lang=th\" lang=\"th\">ไทย</a><a href=\"\(path)?lang=en\" lang=\"en\">English</a></nav>"
    }
}
