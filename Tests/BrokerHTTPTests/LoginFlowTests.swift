import Foundation
import HTTP
import JOSE
import JSON
import Storage
import Testing
@testable import Broker
@testable import BrokerHTTP

/// The browser login end to end (issue 4, front channel), in-process and over a socket.
@Suite("Front channel: /authorize, login, push approval, consent, code")
struct LoginFlowTests {
    @Test("a public client logs in: code, state and iss come back; the code record is what /token needs", arguments: Transport.allCases)
    func publicClientLogin(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let pkce = TestPKCE()
        let query = LoginDriver.authorizeQuery(
            client: LoginClients.publicNative, redirectURI: "http://127.0.0.1:53124/callback", pkce: pkce,
            overrides: [("ui_locales", "en")])
        let result = try driver.login(client: LoginClients.publicNative, device: device, query: query)

        #expect([302, 303].contains(result.reply.status))
        #expect(result.redirectURI == "http://127.0.0.1:53124/callback")
        #expect(result.parameters["state"] == "st-123")
        #expect(result.parameters["iss"] == app.broker.configuration.issuer)
        let code = try #require(result.code, "\(driver.trail)")
        #expect(result.numberShown?.count == 2)

        let record = try app.broker.store.authorizationCode(hash: SecretHash.of(code))
        #expect(record.clientID == LoginClients.publicNative.id)
        #expect(record.citizenID == Citizens.a)
        #expect(record.redirectURI == "http://127.0.0.1:53124/callback")
        #expect(record.codeChallenge == pkce.challenge)
        #expect(record.codeChallengeMethod == "S256")
        #expect(record.nonce == "n-456")
        #expect(record.scopes == ["openid", "profile"])
        #expect(record.acr == "phisut:ial-3:aal-2.2")
        #expect(record.amr == Assurance.deviceApprovalAMR)
        #expect(record.expiresAt - record.createdAt == 60)
        #expect(record.grantID.hasPrefix("grt_"))
        let session = try #require(driver.cookie(BrokerRoutes.sessionCookieName))
        #expect(record.sessionID == app.broker.sessions.session(cookie: session)?.sid)
        #expect(record.authTime == app.broker.sessions.session(cookie: session)?.authTime)

        let events = try app.broker.store.audit(citizenID: Citizens.a, limit: 50, beforeSequence: nil).map(\.action)
        for action in ["approval.requested", "approval.approved", "session.started", "consent.given"] {
            #expect(events.contains(action), "audit lacks \(action)")
        }
    }

    @Test("the pages follow the contract: forms, CSRF fields, cookies, Thai and English", arguments: Transport.allCases)
    func pagesFollowTheContract(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        _ = try driver.enroll(Citizens.a)
        let start = try driver.browse("GET", "/authorize?" + LoginDriver.authorizeQuery(
            client: LoginClients.confidentialWeb, overrides: [("ui_locales", "th-TH en"), ("login_hint", Citizens.a)]))
        #expect(start.status == 303)
        let loginCookie = try #require(start.headers.first { $0.0.lowercased() == "set-cookie" }?.1)
        #expect(loginCookie.contains("HttpOnly"))
        #expect(loginCookie.contains("SameSite=Lax"))
        #expect(!loginCookie.contains("Secure"), "a development broker sets no Secure cookies")
        let location = try #require(start.header("Location"))
        let page = try driver.browse("GET", location)
        #expect(page.status == 200)
        #expect(page.text.contains("<form id=\"login-form\""))
        #expect(page.text.contains("name=\"citizen_id\""))
        #expect(page.text.contains("value=\"\(Citizens.a)\""), "login_hint prefills the citizen ID")
        #expect(page.text.contains("lang=\"th\""))
        #expect(page.text.contains("ศูนย์เชื่อมโยงข้อมูล"))
        #expect(page.header("Content-Security-Policy")?.contains("script-src") != true)

        // The login page of one browser is refused in another (no login cookie).
        let stranger = try app.request("GET", location)
        #expect(stranger.status == 403)
        // A form without its CSRF token is refused.
        let forged = try driver.browse("POST", location, form: [("citizen_id", Citizens.a)])
        #expect(forged.status == 403)

        let english = try driver.browse("GET", location + "?lang=en")
        #expect(english.text.contains("Linkage Center"))
        #expect(english.text.contains("lang=\"en\""))
    }

    @Test("an unregistered redirect_uri shows an error page and is never redirected", arguments: Transport.allCases)
    func unregisteredRedirect(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let cases: [(String, String)] = [
            ("another host", "https://evil.example/callback"),
            ("another path", "http://127.0.0.1/callback2"),
            ("localhost instead of the loopback IP", "http://localhost/callback"),
            ("a prefix of the registered URI", "http://127.0.0.1/call"),
        ]
        for (label, uri) in cases {
            let reply = try driver.browse("GET", "/authorize?" + LoginDriver.authorizeQuery(client: LoginClients.publicNative, redirectURI: uri))
            #expect(reply.status == 400, "\(label)")
            #expect(reply.header("Location") == nil, "\(label)")
            #expect(reply.text.contains("data-error=\"invalid_redirect_uri\""), "\(label)")
        }
        // A confidential web client gets no loopback port leniency.
        let port = try driver.browse("GET", "/authorize?" + LoginDriver.authorizeQuery(
            client: LoginClients.confidentialWeb, redirectURI: "http://127.0.0.1:8091/callback"))
        #expect(port.status == 400)
        #expect(port.header("Location") == nil)
        let unknownClient = try driver.browse("GET", "/authorize?response_type=code&client_id=nope&redirect_uri=https%3A%2F%2Fevil.example%2F&scope=openid")
        #expect(unknownClient.status == 400)
        #expect(unknownClient.header("Location") == nil)
        // A repeated redirect_uri cannot be trusted either.
        let twice = try driver.browse("GET", "/authorize?" + LoginDriver.authorizeQuery(client: LoginClients.publicNative)
            + "&redirect_uri=https%3A%2F%2Fevil.example%2F")
        #expect(twice.status == 400)
        #expect(twice.header("Location") == nil)
    }

    @Test("refusals after the redirect URI is trusted go back to the client with error, state and iss", arguments: Transport.allCases)
    func redirectedRefusals(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let publicClient = LoginClients.publicNative
        let cases: [(label: String, query: String, error: String)] = [
            ("PKCE missing on a public client", LoginDriver.authorizeQuery(client: publicClient, pkce: nil), "invalid_request"),
            ("PKCE plain on a public client", LoginDriver.authorizeQuery(
                client: publicClient, pkce: nil, overrides: [("code_challenge", TestPKCE().verifier), ("code_challenge_method", "plain")]),
             "invalid_request"),
            ("a challenge without a method is plain", LoginDriver.authorizeQuery(
                client: publicClient, pkce: nil, overrides: [("code_challenge", TestPKCE().challenge)]), "invalid_request"),
            ("a duplicated scope parameter", LoginDriver.authorizeQuery(client: publicClient) + "&scope=openid", "invalid_request"),
            ("a duplicated nonce", LoginDriver.authorizeQuery(client: publicClient) + "&nonce=again", "invalid_request"),
            ("response_type token", LoginDriver.authorizeQuery(client: publicClient, overrides: [("response_type", "token")]),
             "unsupported_response_type"),
            ("no openid scope", LoginDriver.authorizeQuery(client: publicClient, scope: "profile"), "invalid_scope"),
            ("an unknown scope", LoginDriver.authorizeQuery(client: publicClient, scope: "openid email"), "invalid_scope"),
            ("prompt none with login", LoginDriver.authorizeQuery(client: publicClient, overrides: [("prompt", "none login")]),
             "invalid_request"),
            ("a negative max_age", LoginDriver.authorizeQuery(client: publicClient, overrides: [("max_age", "-1")]), "invalid_request"),
            ("only unknown acr_values", LoginDriver.authorizeQuery(client: publicClient, overrides: [("acr_values", "urn:other:loa")]),
             "invalid_request"),
            ("malformed claims", LoginDriver.authorizeQuery(client: publicClient, overrides: [("claims", "{\"userinfo\": 5}")]),
             "invalid_request"),
            ("a request object", LoginDriver.authorizeQuery(client: publicClient, overrides: [("request", "eyJ.eyJ.sig")]),
             "request_not_supported"),
            ("a request_uri", LoginDriver.authorizeQuery(client: publicClient, overrides: [("request_uri", "https://rp.example/r")]),
             "request_uri_not_supported"),
            ("an unknown response_mode", LoginDriver.authorizeQuery(client: publicClient, overrides: [("response_mode", "fragment")]),
             "invalid_request"),
        ]
        for item in cases {
            let reply = try driver.browse("GET", "/authorize?" + item.query)
            #expect(reply.status == 302, "\(item.label)")
            let location = try #require(reply.header("Location"), "\(item.label)")
            #expect(location.hasPrefix(publicClient.redirectURIs[0] + "?"), "\(item.label)")
            let result = LoginDriver.result(reply, location: location, number: nil)
            #expect(result.error == item.error, "\(item.label)")
            #expect(result.parameters["error_description"]?.isEmpty == false, "\(item.label)")
            #expect(result.parameters["iss"] == app.broker.configuration.issuer, "\(item.label)")
            #expect(result.parameters["state"] == "st-123", "\(item.label)")
        }
    }

    @Test("an unknown citizen ID and a citizen without an active device get the same page", arguments: Transport.allCases)
    func noEnumeration(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        // Citizen B is proofed by an officer, but the device is revoked: no active device.
        let deviceB = try driver.enroll(Citizens.b)
        #expect(try app.request("DELETE", "/device/v1/devices/\(deviceB.deviceID)",
                                headers: [("Authorization", "Bearer \(try driver.assertion(deviceB))")]).status == 200)
        let unknown = CitizenID.completing("310050060070")!.digits

        func refusal(_ citizenID: String) throws -> Reply {
            let result = try driver.login(client: LoginClients.publicNative, device: nil, citizenID: citizenID)
            return result.reply
        }
        let first = try refusal(unknown)
        let second = try refusal(Citizens.b)
        #expect(first.status == 400)
        #expect(first.status == second.status)
        let firstMessage = try #require(LoginDriver.element(first.text, id: "login-error"))
        #expect(firstMessage == LoginDriver.element(second.text, id: "login-error"))
        #expect(first.text.contains("login-form"), "the citizen can try again")
        #expect(!first.text.contains(unknown) && !second.text.contains(Citizens.b), "the page does not echo the ID")

        let malformed = try refusal("1234567890123")
        #expect(malformed.status == 400)
        #expect(LoginDriver.element(malformed.text, id: "login-error") != firstMessage)
    }

    @Test("denial on the device and consent denied both end in access_denied", arguments: Transport.allCases)
    func denials(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let denied = try driver.login(client: LoginClients.publicNative, device: device, deviceAction: .deny)
        #expect(denied.error == "access_denied")
        #expect(denied.parameters["state"] == "st-123")
        #expect(denied.code == nil)

        let refused = try LoginDriver(app).login(client: LoginClients.publicNative, device: device, consent: .deny)
        #expect(refused.error == "access_denied")
        #expect(refused.code == nil)
        let events = try app.broker.store.audit(citizenID: Citizens.a, limit: 50, beforeSequence: nil).map(\.action)
        #expect(events.contains("approval.denied"))
        #expect(events.contains("consent.denied"))
    }

    @Test("prompt=none without a session is login_required; with a session but no consent, consent_required", arguments: Transport.allCases)
    func promptNone(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let none = LoginDriver.authorizeQuery(client: LoginClients.publicNative, overrides: [("prompt", "none")])
        let first = try driver.login(client: LoginClients.publicNative, device: device, query: none)
        #expect(first.error == "login_required")
        #expect(first.parameters["state"] == "st-123")

        _ = try #require(try driver.login(client: LoginClients.publicNative, device: device).code)
        let other = LoginDriver.authorizeQuery(client: LoginClients.confidentialWeb, overrides: [("prompt", "none")])
        let second = try driver.login(client: LoginClients.confidentialWeb, device: device, query: other)
        #expect(second.error == "consent_required")

        // With the session and the remembered consent, prompt=none gives a code without any page.
        let third = try driver.login(client: LoginClients.publicNative, device: nil, query: none)
        #expect(third.code != nil)
        #expect(third.numberShown == nil)
    }

    @Test("acr_values the citizen cannot meet end in unmet_authentication_requirements", arguments: Transport.allCases)
    func unmetACR(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let query = LoginDriver.authorizeQuery(client: LoginClients.publicNative, overrides: [("acr_values", "phisut:aal-3 urn:unknown")])
        let result = try driver.login(client: LoginClients.publicNative, device: device, query: query)
        #expect(result.error == "unmet_authentication_requirements")
        #expect(result.code == nil)

        let met = LoginDriver.authorizeQuery(client: LoginClients.publicNative, overrides: [("acr_values", "phisut:aal-3 phisut:ial-2.3")])
        let ok = try LoginDriver(app).login(client: LoginClients.publicNative, device: device, query: met)
        let code = try #require(ok.code)
        #expect(try app.broker.store.authorizationCode(hash: SecretHash.of(code)).acr == "phisut:ial-3:aal-2.2")
    }

    @Test("single sign-on skips the push; prompt=login and max_age=0 force a new one", arguments: Transport.allCases)
    func singleSignOn(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let first = try driver.login(client: LoginClients.publicNative, device: device)
        #expect(first.numberShown != nil)
        let firstCode = try app.broker.store.authorizationCode(hash: SecretHash.of(try #require(first.code)))

        let sso = try driver.login(client: LoginClients.publicNative, device: nil)
        let ssoCode = try app.broker.store.authorizationCode(hash: SecretHash.of(try #require(sso.code)))
        #expect(sso.numberShown == nil, "no push with a live session")
        #expect(ssoCode.sessionID == firstCode.sessionID)
        #expect(ssoCode.authTime == firstCode.authTime, "auth_time is the session's")

        for prompt in [("prompt", "login"), ("max_age", "0")] {
            let query = LoginDriver.authorizeQuery(client: LoginClients.publicNative, overrides: [prompt])
            let again = try driver.login(client: LoginClients.publicNative, device: device, query: query)
            #expect(again.numberShown != nil, "\(prompt) forces a push")
            let code = try app.broker.store.authorizationCode(hash: SecretHash.of(try #require(again.code)))
            #expect(code.sessionID != firstCode.sessionID, "a new authentication starts a new session")
        }
        // prompt=consent shows the consent page even though consent is remembered.
        let forced = LoginDriver.authorizeQuery(client: LoginClients.publicNative, overrides: [("prompt", "consent")])
        let start = try driver.browse("GET", "/authorize?" + forced)
        #expect(start.header("Location")?.hasSuffix("/consent") == true)
    }

    @Test("form_post answers with a page that posts code, state and iss to the redirect URI", arguments: Transport.allCases)
    func formPost(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let query = LoginDriver.authorizeQuery(client: LoginClients.confidentialWeb, overrides: [("response_mode", "form_post")])
        let result = try driver.login(client: LoginClients.confidentialWeb, device: device, query: query)
        #expect(result.reply.status == 200)
        #expect(result.redirectURI == "http://127.0.0.1:8090/callback")
        #expect(result.code != nil)
        #expect(result.parameters["state"] == "st-123")
        #expect(result.parameters["iss"] == app.broker.configuration.issuer)
        let csp = try #require(result.reply.header("Content-Security-Policy"))
        #expect(csp.contains("form-action http://127.0.0.1:8090/callback"))
        #expect(!csp.contains("script-src"))
        #expect(result.reply.text.contains("<button type=\"submit\""))

        // An error in form_post mode is posted too.
        let bad = LoginDriver.authorizeQuery(client: LoginClients.confidentialWeb, scope: "profile", overrides: [("response_mode", "form_post")])
        let refused = try driver.login(client: LoginClients.confidentialWeb, device: device, query: bad)
        #expect(refused.error == "invalid_scope")
        #expect(refused.reply.status == 200)
    }

    @Test("POST /authorize works like GET", arguments: Transport.allCases)
    func authorizeByPost(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let result = try driver.login(client: LoginClients.confidentialWeb, device: device, method: "POST")
        #expect(result.code != nil)
        #expect(result.reply.status == 303)
    }

    @Test("the consent page shows the client, its links and the claims asked for", arguments: Transport.allCases)
    func consentPage(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let claims = #"{"userinfo":{"birthdate":{"essential":true}}}"#
        let query = LoginDriver.authorizeQuery(client: LoginClients.confidentialWeb, scope: "openid pid",
                                               overrides: [("ui_locales", "en"), ("claims", claims)])
        var reply = try driver.browse("GET", "/authorize?" + query)
        while let location = reply.header("Location"), location.hasPrefix("/") { reply = try driver.browse("GET", location) }
        reply = try driver.browse("POST", try #require(LoginDriver.formAction(reply.text, id: "login-form")),
                                  form: [("csrf", LoginDriver.hiddenField(reply.text, "csrf") ?? ""), ("citizen_id", Citizens.a)])
        let waiting = try driver.browse("GET", try #require(reply.header("Location")))
        let number = try #require(LoginDriver.element(waiting.text, id: "number-challenge"))
        let requestID = try #require(try driver.pendingRequests(device).json["requests"]?[0]?["request_id"]?.stringValue)
        #expect(try driver.decide(device, requestID: requestID, approve: true, number: number).status == 200)
        reply = try driver.browse("GET", try #require(LoginDriver.formAction(waiting.text, id: "continue-form")).replacingOccurrences(of: "/continue", with: "/wait"))
        #expect(reply.status == 303)
        let page = try driver.browse("GET", try #require(reply.header("Location")))
        #expect(page.text.contains("<form id=\"consent-form\""))
        #expect(page.text.contains("name=\"consent\" value=\"allow\""))
        #expect(page.text.contains("name=\"consent\" value=\"deny\""))
        #expect(page.text.contains("Linkage Center"))
        #expect(page.text.contains("https://linkage.example/policy"))
        #expect(page.text.contains("https://linkage.example/terms"))
        #expect(page.text.contains("data-claim=\"pid\""))
        #expect(page.text.contains("data-claim=\"birthdate\""))
        #expect(page.header("Content-Security-Policy")?.contains("img-src 'self' data: https://linkage.example") == true)
    }
}
