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

    @Test("enumeration brake: a login request takes only a few citizen IDs, and one address only so many a minute")
    func citizenIDAttempts() throws {
        let app = try TestApp(.inProcess) { configuration in
            configuration.maxCitizenIDsPerLoginRequest = 3
            configuration.maxCitizenIDsPerAddressPerMinute = 4
        }
        _ = try LoginDriver(app).enroll(Citizens.a)
        let unknown = try #require(CitizenID.completing("310170020345")).digits

        /// A fresh browser at the login page: its driver and the request id.
        func start() throws -> (LoginDriver, String) {
            let driver = LoginDriver(app)
            let reply = try driver.browse("GET", "/authorize?" + LoginDriver.authorizeQuery(client: LoginClients.publicNative))
            let location = try #require(reply.header("Location"))
            return (driver, String(location.dropFirst("/login/".count)))
        }
        /// Types `citizenID` on the login page, from `address`.
        func submit(_ browser: (LoginDriver, String), _ citizenID: String, from address: String) throws -> Reply {
            let (driver, id) = browser
            let page = try driver.browse("GET", "/login/\(id)")
            let csrf = try #require(LoginDriver.hiddenField(page.text, "csrf"))
            var request = HTTPRequest(
                method: "POST", path: "/login/\(id)",
                headers: HTTPHeaders([("Host", "127.0.0.1"), ("Content-Type", "application/x-www-form-urlencoded"),
                                      ("Cookie", "\(BrokerRoutes.loginCookieName)=\(driver.cookie(BrokerRoutes.loginCookieName) ?? "")")]),
                body: Array(FormEncoding.query([("csrf", csrf), ("citizen_id", citizenID)]).utf8), remoteAddress: address)
            request.pathParameters = [:]
            let response = app.router.handle(request)
            guard case .bytes(let bytes) = response.body else { return Reply(status: response.status, headers: [], body: []) }
            return Reply(status: response.status, headers: response.headers.map { ($0.0, $0.1) }, body: bytes)
        }

        // One request: the fourth ID is refused before the lookup, enrolled or not.
        let first = try start()
        for _ in 0..<3 { #expect(try submit(first, unknown, from: "192.0.2.1").status == 400) }
        let fourth = try submit(first, Citizens.a, from: "192.0.2.2")
        #expect(fourth.status == 429)
        #expect(try app.broker.store.pendingApprovals(citizenID: Citizens.a, now: app.broker.clock.now).isEmpty)

        // One address over fresh requests: the fifth ID in a minute is refused; another address is not.
        for _ in 0..<4 { #expect(try submit(try start(), unknown, from: "198.51.100.7").status == 400) }
        let fifth = try start()
        #expect(try submit(fifth, unknown, from: "198.51.100.7").status == 429)
        #expect(try submit(fifth, unknown, from: "198.51.100.8").status == 400)
        // Loopback (development, benchmarks) is not limited per address.
        for _ in 0..<6 { #expect(try submit(try start(), unknown, from: "127.0.0.1").status == 400) }
    }
}
