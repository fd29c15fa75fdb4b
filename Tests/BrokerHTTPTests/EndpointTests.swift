import Foundation
import HTTP
import JOSE
import JSON
import Testing
@testable import Broker
@testable import BrokerHTTP

@Suite("Broker endpoints, in-process and over a socket")
struct EndpointTests {
    @Test("discovery and JWKS", arguments: Transport.allCases)
    func discovery(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let discovery = try app.request("GET", "/.well-known/openid-configuration")
        #expect(discovery.status == 200)
        #expect(discovery.json["issuer"]?.stringValue == app.baseURL)
        let jwks = try app.request("GET", "/jwks")
        #expect(jwks.status == 200)
        #expect(jwks.header("Content-Type")?.hasPrefix("application/json") == true)
        let set = try JWKSet(json: jwks.json)
        #expect(set.keys.count == app.broker.configuration.signingAlgorithms.count)
        #expect(set.keys.allSatisfy { !$0.isPrivate })
    }

    @Test("the officer API starts an enrollment and draws its QR code", arguments: Transport.allCases)
    func officerAPI(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let token = try app.officerToken()
        let created = try app.json("POST", "/officer/v1/enrollments", person(Citizens.a), bearer: token)
        #expect(created.status == 201)
        let id = try #require(created.json["enrollment_id"]?.stringValue)
        #expect(created.json["qr_payload"]?.stringValue?.hasPrefix("phisut://enroll?") == true)
        let svg = try app.request("GET", "/officer/v1/enrollments/\(id)/qr.svg", headers: [("Authorization", "Bearer \(token)")])
        #expect(svg.status == 200)
        #expect(svg.text.hasPrefix("<svg"))
    }

    @Test("officer API refusals", arguments: Transport.allCases)
    func officerRefusals(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let token = try app.officerToken()
        let noToken = try app.json("POST", "/officer/v1/enrollments", person(Citizens.a))
        #expect(noToken.status == 401)
        #expect(noToken.json["error"]?.stringValue == "invalid_token")
        #expect(noToken.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)

        let badDigit = try app.json("POST", "/officer/v1/enrollments", person("1101700203451"), bearer: token)
        #expect(badDigit.status == 400)
        #expect(badDigit.json["error"]?.stringValue == "invalid_citizen_id")

        let notJSON = try app.request("POST", "/officer/v1/enrollments",
                                      headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")],
                                      body: Array("{nope".utf8))
        #expect(notJSON.status == 400)
        #expect(notJSON.json["error"]?.stringValue == "invalid_request")
        #expect(notJSON.json["error_description"]?.stringValue?.isEmpty == false)

        let wrongShape = try app.json("POST", "/officer/v1/enrollments", ["citizen_id": .int(5)], bearer: token)
        #expect(wrongShape.status == 400)

        let unknownQR = try app.request("GET", "/officer/v1/enrollments/enr_nope/qr.svg", headers: [("Authorization", "Bearer \(token)")])
        #expect(unknownQR.status == 404)
    }

    @Test("a device enrolls, authenticates and revokes itself", arguments: Transport.allCases)
    func deviceAPI(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let ticket = try app.json("POST", "/officer/v1/enrollments", person(Citizens.a), bearer: try app.officerToken())
        let code = try #require(ticket.json["enrollment_code"]?.stringValue)
        let terms = try app.request("GET", "/device/v1/terms")
        let version = try #require(terms.json["version"]?.stringValue)
        #expect(terms.json["text"]?["th"]?.stringValue != nil)

        let key = try JWK.generate(for: .es256)
        let proof = try JWS.sign(payload: JSONValue.object([
            "enrollment_code": .string(code), "citizen_id": .string(Citizens.a), "iat": .int(app.broker.clock.now),
        ]).serialized(), key: key, algorithm: .es256)
        let enrolled = try app.json("POST", "/device/v1/enroll", [
            "enrollment_code": .string(code), "citizen_id": .string(Citizens.a), "terms_version": .string(version),
            "device_name": "Phone", "device_key": key.publicKey.json(), "proof": .string(proof),
        ])
        #expect(enrolled.status == 201)
        #expect(enrolled.json["status"]?.stringValue == "enrolled")
        let deviceID = try #require(enrolled.json["device_id"]?.stringValue)

        func assertion() throws -> String {
            var signer = key
            signer.kid = deviceID
            let now = app.broker.clock.now
            return try JWT.sign(claims: [
                "iss": .string(deviceID), "sub": .string(deviceID), "aud": .string(app.baseURL),
                "iat": .int(now), "exp": .int(now + 60), "jti": .string(UUID().uuidString),
            ], key: signer, algorithm: .es256)
        }
        let requests = try app.request("GET", "/device/v1/requests", headers: [("Authorization", "Bearer \(try assertion())")])
        #expect(requests.status == 200)
        #expect(requests.json["requests"]?.arrayValue?.isEmpty == true)

        let unauthenticated = try app.request("GET", "/device/v1/requests")
        #expect(unauthenticated.status == 401)

        let revoked = try app.request("DELETE", "/device/v1/devices/\(deviceID)", headers: [("Authorization", "Bearer \(try assertion())")])
        #expect(revoked.status == 200)
        let after = try app.request("GET", "/device/v1/requests", headers: [("Authorization", "Bearer \(try assertion())")])
        #expect(after.status == 401)
    }

    @Test("the officer desk: sign in with CSRF, enroll, see the QR code", arguments: Transport.allCases)
    func officerDesk(_ transport: Transport) throws {
        let app = try TestApp(transport)
        let token = try app.officerToken()
        let signIn = try app.request("GET", "/officer/desk?lang=en")
        #expect(signIn.status == 200)
        #expect(signIn.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        let pre = try #require(Self.cookie(signIn, DeskSessions.preSessionCookieName))
        let csrf = try #require(Self.hiddenField(signIn.text, "csrf"))

        // Without the CSRF token the sign-in is refused.
        let forged = try app.request("POST", "/officer/desk/login", headers: [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "\(DeskSessions.preSessionCookieName)=\(pre)"),
        ], body: Array("token=\(token)&csrf=forged".utf8))
        #expect(forged.status == 403)

        let login = try app.request("POST", "/officer/desk/login?lang=en", headers: [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "\(DeskSessions.preSessionCookieName)=\(pre)"),
        ], body: Array("token=\(FormEncoding.escape(token))&csrf=\(FormEncoding.escape(csrf))".utf8))
        #expect(login.status == 303)
        let session = try #require(Self.cookie(login, DeskSessions.cookieName))
        #expect(login.header("Set-Cookie")?.contains("HttpOnly") == true)

        let form = try app.request("GET", "/officer/desk?lang=en", headers: [("Cookie", "\(DeskSessions.cookieName)=\(session)")])
        #expect(form.text.contains("enrollment-form"))
        let formCSRF = try #require(Self.hiddenField(form.text, "csrf"))
        let fields = [("csrf", formCSRF), ("citizen_id", Citizens.a), ("given_name_th", "สมหญิง"), ("given_name_en", "Somying"),
                      ("family_name_th", "ใจดี"), ("family_name_en", "Jaidee"), ("birthdate", "1990-05-17"), ("card_laser_code", "")]
        let created = try app.request("POST", "/officer/desk/enrollments?lang=en", headers: [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "\(DeskSessions.cookieName)=\(session)"),
        ], body: Array(FormEncoding.query(fields).utf8))
        #expect(created.status == 303)
        let location = try #require(created.header("Location"))
        let qr = try app.request("GET", location, headers: [("Cookie", "\(DeskSessions.cookieName)=\(session)")])
        #expect(qr.status == 200)
        #expect(qr.text.contains("<svg"))
        #expect(qr.text.contains("time-left"))

        let thai = try app.request("GET", location.replacingOccurrences(of: "lang=en", with: "lang=th"),
                                   headers: [("Cookie", "\(DeskSessions.cookieName)=\(session)")])
        #expect(thai.text.contains("lang=\"th\""))
        #expect(thai.text.contains("เวลาที่เหลือ"))
    }

    static func cookie(_ reply: Reply, _ name: String) -> String? {
        for (header, value) in reply.headers where header.lowercased() == "set-cookie" && value.hasPrefix(name + "=") {
            return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    static func hiddenField(_ html: String, _ name: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
