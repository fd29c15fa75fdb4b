import Foundation
import HTTP
import JSON
import Storage
import Testing
@testable import Broker
@testable import BrokerHTTP

/// Findings of the security review, each pinned by the request that used to break it.
@Suite("Security review: hostile requests to the pages")
struct SecurityReviewPageTests {
    @Test("an Accept-Language made of separators gets a page, not a crash",
          arguments: [";", ",;", ";;,", " ; ", "en;q=1,;"])
    func acceptLanguageSeparators(header: String) throws {
        let app = try TestApp(.inProcess)
        for path in ["/officer/desk", "/login/azr-unknown", "/account/consents"] {
            let reply = try app.request("GET", path, headers: [("Accept-Language", header)])
            #expect(reply.status < 500, "\(path)")
            #expect(reply.header("Content-Type")?.hasPrefix("text/html") == true, "\(path)")
        }
    }

    @Test("logout CSRF: a logout link without an ID token of this session only asks; the confirmation needs the CSRF token",
          arguments: Transport.allCases)
    func logoutNeedsConfirmation(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        _ = try #require(try driver.login(client: LoginClients.publicNative, device: device).code)
        let sessionCookie = try #require(driver.cookie(BrokerRoutes.sessionCookieName))

        // What a hostile page can make the browser do: a plain link, and a form post.
        let page = try driver.browse("GET", "/logout?" + FormEncoding.query([
            ("client_id", LoginClients.publicNative.id), ("post_logout_redirect_uri", "http://127.0.0.1/logged-out")]))
        #expect(page.status == 200)
        #expect(page.header("Location") == nil)
        #expect(page.text.contains("confirm-logout"))
        #expect(app.broker.sessions.session(cookie: sessionCookie) != nil, "a link alone ends nothing")
        let forged = try driver.browse("POST", "/logout", form: [("confirm", "yes"), ("csrf", "forged")])
        #expect(forged.status == 403)
        #expect(app.broker.sessions.session(cookie: sessionCookie) != nil, "a forged confirmation ends nothing")

        // The citizen presses the button of the broker's own page.
        let csrf = try #require(LoginDriver.hiddenField(page.text, "csrf"))
        let confirmed = try driver.browse("POST", "/logout", form: [
            ("client_id", LoginClients.publicNative.id), ("post_logout_redirect_uri", "http://127.0.0.1/logged-out"),
            ("csrf", csrf), ("confirm", "yes")])
        #expect(confirmed.status == 303)
        #expect(confirmed.header("Location") == "http://127.0.0.1/logged-out")
        #expect(app.broker.sessions.session(cookie: sessionCookie) == nil)
    }
}
