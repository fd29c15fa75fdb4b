import Foundation
import HTTP
import JOSE
import JSON
import Storage
import Testing
@testable import Broker
@testable import BrokerHTTP
@testable import HTTP

/// The device side of push approvals (CONTRACT.md), logout and the consent list.
@Suite("Front channel: device approvals, logout, consents")
struct DeviceApprovalTests {
    /// Starts a login for `device`'s citizen and leaves it on the waiting page.
    static func waitingLogin(_ driver: LoginDriver, _ device: TestDevice, client: Client = LoginClients.publicNative) throws -> (number: String, requestID: String) {
        let result = try driver.login(client: client, device: device, deviceAction: .ignore)
        let number = try #require(result.numberShown)
        let requests = try driver.pendingRequests(device).json["requests"]?.arrayValue ?? []
        let requestID = try #require(requests.last?["request_id"]?.stringValue)
        return (number, requestID)
    }

    @Test("the device lists the request without the number", arguments: Transport.allCases)
    func listing(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let claims = #"{"id_token":{"birthdate":null}}"#
        let query = LoginDriver.authorizeQuery(client: LoginClients.publicNative, scope: "openid pid", overrides: [("claims", claims)])
        let result = try driver.login(client: LoginClients.publicNative, device: device, query: query, deviceAction: .ignore)
        let number = try #require(result.numberShown)
        let reply = try driver.pendingRequests(device)
        #expect(reply.status == 200)
        let request = try #require(reply.json["requests"]?[0])
        #expect(request["client_name"]?.stringValue == "Queue Online")
        #expect(request["scopes"] == ["openid", "pid"])
        #expect(request["claims"] == ["sub", "pid", "birthdate"])
        #expect(request["number_challenge"]?.boolValue == true)
        #expect(request["binding_message"]?.isNull == true)
        #expect(request["expires_at"]?.intValue == app.broker.clock.now + 120 || request["expires_at"]?.intValue == app.broker.clock.now + 119)
        #expect(!reply.text.contains("\"\(number)\""), "the number itself never reaches the device")
        #expect(!reply.text.contains(Citizens.a), "nothing personal beyond the client and the claims")
    }

    @Test("three wrong numbers fail the request; the browser then gets access_denied", arguments: Transport.allCases)
    func wrongNumbers(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let (number, requestID) = try Self.waitingLogin(driver, device)
        let wrong = number == "00" ? "01" : "00"
        for attempt in 1...3 {
            let reply = try driver.decide(device, requestID: requestID, approve: true, number: wrong)
            #expect(reply.status == 400, "attempt \(attempt)")
            #expect(reply.json["error"]?.stringValue == "wrong_number", "attempt \(attempt)")
        }
        let afterwards = try driver.decide(device, requestID: requestID, approve: true, number: number)
        #expect(afterwards.status == 409, "the failed request cannot be approved with the right number")
        #expect(try app.broker.store.approval(id: requestID).status == .failed)

        let location = "/login/\(try app.broker.store.approval(id: requestID).originID)/wait"
        let reply = try driver.browse("GET", location)
        let result = LoginDriver.result(reply, location: try #require(reply.header("Location")), number: nil)
        #expect(result.error == "access_denied")
        let events = try app.broker.store.audit(citizenID: Citizens.a, limit: 50, beforeSequence: nil).map(\.action)
        #expect(events.filter { $0 == "approval.wrong_number" }.count == 3)
        #expect(events.contains("approval.failed"))
    }

    @Test("a request decided twice is 409; an unknown one 404; another citizen's is refused", arguments: Transport.allCases)
    func decisionRefusals(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let otherDevice = try driver.enroll(Citizens.b)
        let (number, requestID) = try Self.waitingLogin(driver, device)

        let stolen = try driver.decide(otherDevice, requestID: requestID, approve: true, number: number)
        #expect(stolen.status == 404, "another citizen's device cannot see or decide the request")
        #expect(try app.broker.store.approval(id: requestID).status == .pending)
        #expect(try driver.pendingRequests(otherDevice).json["requests"]?.arrayValue?.isEmpty == true)

        let wrongKey = try driver.decide(device, requestID: requestID, approve: true, number: number, signer: try JWK.generate(for: .es256))
        #expect(wrongKey.status == 400, "a decision must be signed by the device's own key")
        #expect(try app.broker.store.approval(id: requestID).status == .pending)

        let unsigned = try app.json("POST", "/device/v1/requests/\(requestID)/decision", ["decision": "not-a-jws"],
                                    bearer: try driver.assertion(device))
        #expect(unsigned.status == 400)

        let first = try driver.decide(device, requestID: requestID, approve: true, number: number)
        #expect(first.status == 200)
        #expect(first.json["status"]?.stringValue == "approved")
        let second = try driver.decide(device, requestID: requestID, approve: false, number: nil)
        #expect(second.status == 409)

        let unknown = try driver.decide(device, requestID: "apr_unknown", approve: true, number: number)
        #expect(unknown.status == 404)
        let anonymous = try app.json("POST", "/device/v1/requests/\(requestID)/decision", ["decision": "x"])
        #expect(anonymous.status == 401)
    }

    @Test("at most three approvals wait per citizen; the fourth login is asked to try later", arguments: Transport.allCases)
    func pendingLimit(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let setup = LoginDriver(app)
        let device = try setup.enroll(Citizens.a)
        for _ in 1...3 { _ = try Self.waitingLogin(LoginDriver(app), device) }
        let fourth = try LoginDriver(app).login(client: LoginClients.publicNative, device: device, deviceAction: .ignore)
        #expect(fourth.reply.status == 429)
        #expect(fourth.reply.text.contains("login-form"))
        #expect(fourth.numberShown == nil)
    }

    @Test("the event stream sends each new request as an event named request")
    func eventStream() throws {
        let app = try TestApp(.inProcess)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let other = try driver.enroll(Citizens.b)
        let response = app.router.handle(HTTPRequest(
            method: "GET", path: "/device/v1/requests",
            headers: HTTPHeaders([("Accept", "text/event-stream"), ("Authorization", "Bearer \(try driver.assertion(device))")])))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/event-stream")
        guard case .stream(let stream) = response.body else {
            Issue.record("not a stream")
            return
        }
        stream.configure?(stream)   // what the server does once the head is sent
        let routes = app.routes
        #expect(routes.approvalStreams.streamCount(citizenID: Citizens.a) == 1)
        #expect(stream.drain().bytes.isEmpty, "nothing pending yet")

        _ = try Self.waitingLogin(LoginDriver(app), other)   // another citizen's request is not sent
        #expect(stream.drain().bytes.isEmpty)
        let (_, requestID) = try Self.waitingLogin(LoginDriver(app), device)
        let text = String(decoding: stream.drain().bytes, as: UTF8.self)
        #expect(text.hasPrefix("event: request\n"))
        let dataLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("data: ") })
        let event = try JSONValue(parsing: String(dataLine.dropFirst(6)))
        #expect(event["request_id"]?.stringValue == requestID)
        #expect(event["number_challenge"]?.boolValue == true)

        stream.close()
        #expect(routes.approvalStreams.streamCount(citizenID: Citizens.a) == 0, "closed streams leave the hub")
    }

    @Test("RP-initiated logout ends the session and redirects to the registered URI with state", arguments: Transport.allCases)
    func logout(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        let code = try #require(try driver.login(client: LoginClients.publicNative, device: device).code)
        let record = try app.broker.store.authorizationCode(hash: SecretHash.of(code))
        let sessionCookie = try #require(driver.cookie(BrokerRoutes.sessionCookieName))
        #expect(app.broker.sessions.session(cookie: sessionCookie) != nil)

        let signer = try app.broker.keys.signingKey(for: .es256)
        let now = app.broker.clock.now
        let hint = try JWT.sign(claims: [
            "iss": .string(app.broker.configuration.issuer), "aud": .string(LoginClients.publicNative.id), "sub": "pairwise",
            "sid": .string(record.sessionID ?? ""), "iat": .int(now - 7200), "exp": .int(now - 3600),
        ], key: signer, algorithm: .es256)
        let forged = try JWT.sign(claims: ["iss": .string(app.broker.configuration.issuer), "aud": .string(LoginClients.publicNative.id)],
                                  key: try JWK.generate(for: .es256), algorithm: .es256)

        let refusals: [(String, String)] = [
            ("an unregistered post_logout_redirect_uri", FormEncoding.query([
                ("id_token_hint", hint), ("post_logout_redirect_uri", "https://evil.example/")])),
            ("a hint not signed by the broker", FormEncoding.query([
                ("id_token_hint", forged), ("post_logout_redirect_uri", "http://127.0.0.1/logged-out")])),
            ("a client_id other than the hint's audience", FormEncoding.query([
                ("id_token_hint", hint), ("client_id", LoginClients.confidentialWeb.id)])),
            ("a redirect without any client", FormEncoding.query([("post_logout_redirect_uri", "http://127.0.0.1/logged-out")])),
        ]
        for (label, query) in refusals {
            let reply = try driver.browse("GET", "/logout?" + query)
            #expect(reply.status == 400, "\(label)")
            #expect(reply.header("Location") == nil, "\(label)")
        }
        #expect(app.broker.sessions.session(cookie: sessionCookie) != nil, "refused logouts end nothing")

        let reply = try driver.browse("GET", "/logout?" + FormEncoding.query([
            ("id_token_hint", hint), ("post_logout_redirect_uri", "http://127.0.0.1/logged-out"), ("state", "bye")]))
        #expect(reply.status == 302)
        #expect(reply.header("Location") == "http://127.0.0.1/logged-out?state=bye")
        #expect(reply.header("Set-Cookie")?.hasPrefix("\(BrokerRoutes.sessionCookieName)=;") == true)
        #expect(app.broker.sessions.session(cookie: sessionCookie) == nil)
        #expect(try app.broker.store.session(hash: SecretHash.of(sessionCookie)).endedAt != nil)
        #expect(driver.cookie(BrokerRoutes.sessionCookieName) == nil)

        let page = try driver.browse("POST", "/logout", form: [("client_id", LoginClients.publicNative.id)])
        #expect(page.status == 200)
        #expect(page.text.contains("signed-out"))
        let events = try app.broker.store.audit(citizenID: Citizens.a, limit: 50, beforeSequence: nil).map(\.action)
        #expect(events.contains("session.ended"))
    }

    @Test("the citizen lists and revokes consents behind the session cookie, with CSRF", arguments: Transport.allCases)
    func consents(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let driver = LoginDriver(app)
        let device = try driver.enroll(Citizens.a)
        _ = try #require(try driver.login(client: LoginClients.publicNative, device: device).code)

        #expect(try app.request("GET", "/account/consents").status == 401)
        let json = try driver.browse("GET", "/account/consents", headers: [("Accept", "application/json")])
        #expect(json.json["consents"]?[0]?["client_id"]?.stringValue == LoginClients.publicNative.id)
        #expect(json.json["consents"]?[0]?["scopes"] == ["openid", "profile"])

        let page = try driver.browse("GET", "/account/consents?lang=en")
        #expect(page.text.contains("data-client=\"\(LoginClients.publicNative.id)\""))
        let csrf = try #require(LoginDriver.hiddenField(page.text, "csrf"))
        let target = "/account/consents/\(LoginClients.publicNative.id)/revoke"
        #expect(try driver.browse("POST", target, form: [("csrf", "forged")]).status == 403)
        let revoked = try driver.browse("POST", target, form: [("csrf", csrf)])
        #expect(revoked.status == 303)
        #expect(try driver.browse("GET", "/account/consents", headers: [("Accept", "application/json")]).json["consents"] == [])
        #expect(try driver.browse("POST", target, form: [("csrf", csrf)]).status == 404)

        // Without the consent, the next login asks again even with a live session.
        let start = try driver.browse("GET", "/authorize?" + LoginDriver.authorizeQuery(client: LoginClients.publicNative))
        #expect(start.header("Location")?.hasSuffix("/consent") == true)
    }

    @Test("discovery lists the front channel", arguments: [Transport.inProcess])
    func discovery(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let document = try app.request("GET", "/.well-known/openid-configuration").json
        #expect(document["authorization_endpoint"]?.stringValue == app.baseURL + "/authorize")
        #expect(document["end_session_endpoint"]?.stringValue == app.baseURL + "/logout")
        #expect(document["response_types_supported"] == ["code"])
        #expect(document["response_modes_supported"] == ["query", "form_post"])
        #expect(document["code_challenge_methods_supported"] == ["S256"])
        #expect(document["prompt_values_supported"] == ["none", "login", "consent"])
        #expect(document["authorization_response_iss_parameter_supported"] == true)
        #expect(document["claims_parameter_supported"] == true)
        #expect(document["scopes_supported"]?.arrayValue?.contains("openid") == true)
        #expect(document["acr_values_supported"]?.arrayValue?.count == Assurance.supportedACRValues.count)
        #expect(document["claims_supported"]?.arrayValue?.contains("pid") == true)
    }
}
