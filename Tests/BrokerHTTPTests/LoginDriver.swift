import Foundation
import HTTP
import JOSE
import JSON
import Storage
@testable import Broker
@testable import BrokerHTTP

/// Clients for login tests, shaped like the pilots in Metadata/clients/ but built in code so
/// the tests do not depend on the metadata validator. Fast algorithms only.
enum LoginClients {
    /// A public native client (like `queue-online`): PKCE, loopback redirect on any port.
    static let publicNative = Client(
        id: "queue-test", metadata: ["client_id": "queue-test"], name: "Queue Online",
        localizedNames: ["th": "จองคิวออนไลน์", "en": "Queue Online"], applicationType: .native,
        redirectURIs: ["http://127.0.0.1/callback"], postLogoutRedirectURIs: ["http://127.0.0.1/logged-out"],
        grantTypes: ["authorization_code", "refresh_token"], responseTypes: ["code"], tokenEndpointAuthMethod: "none",
        idTokenSignedResponseAlg: .es256, sectorIdentifier: "127.0.0.1",
        allowedScopes: ["openid", "profile", "pid", "offline_access"])

    /// A confidential web client (like `linkage-center`); PKCE optional.
    static let confidentialWeb = Client(
        id: "linkage-test", metadata: ["client_id": "linkage-test"], name: "Linkage Center",
        localizedNames: ["th": "ศูนย์เชื่อมโยงข้อมูล", "en": "Linkage Center"], applicationType: .web,
        redirectURIs: ["http://127.0.0.1:8090/callback"], postLogoutRedirectURIs: ["http://127.0.0.1:8090/"],
        grantTypes: ["authorization_code", "refresh_token"], responseTypes: ["code"], tokenEndpointAuthMethod: "private_key_jwt",
        idTokenSignedResponseAlg: .es256, sectorIdentifier: "linkage.example", allowedScopes: ["openid", "profile", "pid"],
        logoURI: "https://linkage.example/logo.png", policyURI: "https://linkage.example/policy", tosURI: "https://linkage.example/terms")

    static func register(on broker: Broker) {
        broker.clients.add(publicNative)
        broker.clients.add(confidentialWeb)
    }
}

/// A citizen's enrolled phone in a test: its id and its real ES256 key.
struct TestDevice {
    let citizenID: String
    let deviceID: String
    let key: JWK
}

/// PKCE (RFC 7636 §4.1–4.2): a random verifier and its S256 challenge.
struct TestPKCE {
    let verifier: String
    let challenge: String

    init() {
        verifier = Base64URL.encode(Crypto.randomBytes(32))
        challenge = Base64URL.encode(Crypto.sha256(Array(verifier.utf8)))
    }
}

/// What the relying party got back at the end of a login.
struct LoginResult {
    /// The final response: the redirect to the RP, the form_post page, or a broker page where
    /// the flow stopped.
    let reply: Reply
    /// The parameters the RP received (query of the redirect, or the form_post fields).
    let parameters: [String: String]
    /// Where the RP's answer went (the redirect URI without the added query).
    let redirectURI: String?
    /// The number the waiting page showed, when a push happened.
    let numberShown: String?

    var code: String? { parameters["code"] }
    var error: String? { parameters["error"] }
}

/// Drives a whole browser login through the broker's pages, in-process or over a socket:
/// `/authorize` → login page → a simulated device approves with its ES256 key → continue →
/// consent → the code. Cookies are kept per path like a browser, so it can also show single
/// sign-on on a second run.
///
/// Reusable by other suites: `try LoginDriver(app).enroll(Citizens.a)` then
/// `try driver.login(client: LoginClients.publicNative, device: device)`.
final class LoginDriver {
    enum DeviceAction { case approve, deny, approveWith(number: String), ignore }
    enum ConsentChoice: String { case allow, deny }

    let app: TestApp
    private(set) var cookies: [(name: String, path: String, value: String)] = []
    /// Pages visited, in order, as "METHOD path → status" (for failure messages).
    private(set) var trail: [String] = []

    init(_ app: TestApp) {
        self.app = app
        LoginClients.register(on: app.broker)
    }

    // MARK: Devices

    /// Enrolls `citizenID` with a fresh ES256 device key through the officer and device APIs.
    func enroll(_ citizenID: String) throws -> TestDevice {
        let ticket = try app.json("POST", "/officer/v1/enrollments", person(citizenID), bearer: try app.officerToken())
        guard let code = ticket.json["enrollment_code"]?.stringValue else { throw DriverError.step("enrollment: \(ticket.text)") }
        let key = try JWK.generate(for: .es256)
        let proof = try JWS.sign(payload: JSONValue.object([
            "enrollment_code": .string(code), "citizen_id": .string(citizenID), "iat": .int(app.broker.clock.now),
        ]).serialized(), key: key, algorithm: .es256)
        let enrolled = try app.json("POST", "/device/v1/enroll", [
            "enrollment_code": .string(code), "citizen_id": .string(citizenID),
            "terms_version": .string(app.broker.terms.current.version), "device_name": "Test phone",
            "device_key": key.publicKey.json(), "proof": .string(proof),
        ])
        guard let deviceID = enrolled.json["device_id"]?.stringValue else { throw DriverError.step("device enroll: \(enrolled.text)") }
        return TestDevice(citizenID: citizenID, deviceID: deviceID, key: key)
    }

    /// A fresh device assertion (CONTRACT.md) for one device call.
    func assertion(_ device: TestDevice) throws -> String {
        var signer = device.key
        signer.kid = device.deviceID
        let now = app.broker.clock.now
        return try JWT.sign(claims: [
            "iss": .string(device.deviceID), "sub": .string(device.deviceID), "aud": .string(app.broker.configuration.issuer),
            "iat": .int(now), "exp": .int(now + 60), "jti": .string(UUID().uuidString),
        ], key: signer, algorithm: .es256)
    }

    /// `GET /device/v1/requests` as the device.
    func pendingRequests(_ device: TestDevice) throws -> Reply {
        try app.request("GET", "/device/v1/requests", headers: [("Authorization", "Bearer \(try assertion(device))")])
    }

    /// `POST /device/v1/requests/{id}/decision` with a decision signed by `signer` (default: the
    /// device's own key).
    func decide(_ device: TestDevice, requestID: String, approve: Bool, number: String?, signer: JWK? = nil) throws -> Reply {
        var payload: [String: JSONValue] = [
            "request_id": .string(requestID), "approve": .bool(approve), "iat": .int(app.broker.clock.now),
        ]
        if let number { payload["number"] = .string(number) }
        let decision = try JWS.sign(payload: JSONValue.object(payload).serialized(), key: signer ?? device.key, algorithm: .es256)
        return try app.json("POST", "/device/v1/requests/\(requestID)/decision", ["decision": .string(decision)],
                            bearer: try assertion(device))
    }

    // MARK: Browser

    /// The `/authorize` query for `client` with sensible defaults; `overrides` replace or add
    /// parameters (an empty value removes one).
    static func authorizeQuery(client: Client, redirectURI: String? = nil, pkce: TestPKCE? = TestPKCE(), state: String = "st-123",
                               scope: String = "openid profile", overrides: [(String, String)] = []) -> String {
        var pairs: [(String, String)] = [
            ("response_type", "code"), ("client_id", client.id), ("redirect_uri", redirectURI ?? client.redirectURIs[0]),
            ("scope", scope), ("state", state), ("nonce", "n-456"),
        ]
        if let pkce { pairs += [("code_challenge", pkce.challenge), ("code_challenge_method", "S256")] }
        for (name, value) in overrides {
            pairs.removeAll { $0.0 == name }
            if !value.isEmpty { pairs.append((name, value)) }
        }
        return FormEncoding.query(pairs)
    }

    /// A browser request with this driver's cookies; `Set-Cookie` answers are kept.
    func browse(_ method: String, _ target: String, form: [(String, String)]? = nil,
                headers extra: [(String, String)] = []) throws -> Reply {
        var headers = extra
        let path = String(target.split(separator: "?", maxSplits: 1)[0])
        let sent = cookies.filter { path == $0.path || path.hasPrefix($0.path.hasSuffix("/") ? $0.path : $0.path + "/") }
        if !sent.isEmpty { headers.append(("Cookie", sent.map { "\($0.name)=\($0.value)" }.joined(separator: "; "))) }
        var body: [UInt8] = []
        if let form {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = Array(FormEncoding.query(form).utf8)
        }
        let reply = try app.request(method, target, headers: headers, body: body)
        trail.append("\(method) \(path) → \(reply.status)")
        for (name, value) in reply.headers where name.lowercased() == "set-cookie" { keep(value) }
        return reply
    }

    func cookie(_ name: String) -> String? { cookies.first { $0.name == name }?.value }

    private func keep(_ header: String) {
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let pair = parts.first, let eq = pair.firstIndex(of: "=") else { return }
        let name = String(pair[..<eq])
        let value = String(pair[pair.index(after: eq)...])
        let path = parts.first { $0.hasPrefix("Path=") }.map { String($0.dropFirst(5)) } ?? "/"
        let deleted = parts.contains("Max-Age=0")
        cookies.removeAll { $0.name == name && $0.path == path }
        if !deleted { cookies.append((name, path, value)) }
    }

    /// Runs a whole login from `/authorize` to the relying party's redirect (or wherever it
    /// stops). The device acts once, when the waiting page first shows.
    func login(client: Client, device: TestDevice?, query: String? = nil, citizenID: String? = nil,
               deviceAction: DeviceAction = .approve, consent: ConsentChoice = .allow, method: String = "GET") throws -> LoginResult {
        let authorizeQuery = query ?? Self.authorizeQuery(client: client)
        var reply = method == "POST"
            ? try browse("POST", "/authorize", form: Self.pairs(authorizeQuery))
            : try browse("GET", "/authorize?" + authorizeQuery)
        var numberShown: String?
        var deviceActed = false
        for _ in 0..<20 {
            if [302, 303].contains(reply.status), let location = reply.header("Location") {
                guard location.hasPrefix("/") else { return Self.result(reply, location: location, number: numberShown) }
                reply = try browse("GET", location)
                continue
            }
            guard reply.status == 200 else { return LoginResult(reply: reply, parameters: [:], redirectURI: nil, numberShown: numberShown) }
            let page = reply.text
            if let action = Self.formAction(page, id: "login-form") {
                let id = citizenID ?? device?.citizenID ?? ""
                reply = try browse("POST", action, form: [("csrf", Self.hiddenField(page, "csrf") ?? ""), ("citizen_id", id)])
            } else if let action = Self.formAction(page, id: "continue-form") {
                let number = Self.element(page, id: "number-challenge")
                numberShown = number
                // Stop on the waiting page when nobody decides, or when the decision did not move it on.
                guard let device, !deviceActed, !Self.isIgnore(deviceAction) else {
                    return LoginResult(reply: reply, parameters: [:], redirectURI: nil, numberShown: numberShown)
                }
                deviceActed = true
                try act(deviceAction, device: device, number: number ?? "")
                reply = try browse("POST", action, form: [("csrf", Self.hiddenField(page, "csrf") ?? "")])
            } else if let action = Self.formAction(page, id: "consent-form") {
                reply = try browse("POST", action, form: [("csrf", Self.hiddenField(page, "csrf") ?? ""), ("consent", consent.rawValue)])
            } else if let action = Self.formAction(page, id: "form-post") {
                var fields: [String: String] = [:]
                for name in ["code", "state", "iss", "error", "error_description"] {
                    if let value = Self.hiddenField(page, name) { fields[name] = value }
                }
                return LoginResult(reply: reply, parameters: fields, redirectURI: action, numberShown: numberShown)
            } else {
                return LoginResult(reply: reply, parameters: [:], redirectURI: nil, numberShown: numberShown)
            }
        }
        throw DriverError.step("the login did not finish: \(trail.joined(separator: ", "))")
    }

    private func act(_ action: DeviceAction, device: TestDevice, number: String) throws {
        guard let requestID = try pendingRequests(device).json["requests"]?.arrayValue?.last?["request_id"]?.stringValue else {
            throw DriverError.step("no pending request on the device")
        }
        let reply: Reply
        switch action {
        case .approve: reply = try decide(device, requestID: requestID, approve: true, number: number)
        case .deny: reply = try decide(device, requestID: requestID, approve: false, number: nil)
        case .approveWith(let typed): reply = try decide(device, requestID: requestID, approve: true, number: typed)
        case .ignore: return
        }
        guard reply.status == 200 || reply.status == 400 else { throw DriverError.step("decision: \(reply.status) \(reply.text)") }
    }

    private static func isIgnore(_ action: DeviceAction) -> Bool {
        if case .ignore = action { return true }
        return false
    }

    // MARK: Parsing

    static func result(_ reply: Reply, location: String, number: String?) -> LoginResult {
        let parts = location.split(separator: "?", maxSplits: 1)
        var parameters: [String: String] = [:]
        if parts.count == 2 { for (name, value) in pairs(String(parts[1])) { parameters[name] = value } }
        return LoginResult(reply: reply, parameters: parameters, redirectURI: String(parts[0]), numberShown: number)
    }

    static func pairs(_ query: String) -> [(String, String)] {
        ((try? HTTPParameters.parse(urlEncoded: Array(query.utf8), plusAsSpace: true))?.pairs ?? []).map { ($0.name, $0.value) }
    }

    static func formAction(_ html: String, id: String) -> String? {
        guard let form = html.range(of: "<form id=\"\(id)\"") else { return nil }
        let rest = html[form.upperBound...]
        guard let action = rest.range(of: "action=\"") else { return nil }
        return unescape(String(rest[action.upperBound...].prefix { $0 != "\"" }))
    }

    static func hiddenField(_ html: String, _ name: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return unescape(String(html[range.upperBound...].prefix { $0 != "\"" }))
    }

    static func element(_ html: String, id: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\">") else { return nil }
        return unescape(String(html[start.upperBound...].prefix { $0 != "<" }))
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    enum DriverError: Error, CustomStringConvertible {
        case step(String)
        var description: String { if case .step(let text) = self { text } else { "" } }
    }
}
