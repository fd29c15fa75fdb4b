import Foundation
import HTTP
import JOSE
import JSON
import Storage
import Testing
@testable import Broker
@testable import BrokerHTTP

/// `/register` and `/register/{client_id}` over both transports.
@Suite("Registration endpoints, in-process and over a socket")
struct RegistrationEndpointTests {
    static let metadata: JSONValue = [
        "client_name": "Bank Portal", "redirect_uris": ["https://bank.example/cb"], "id_token_signed_response_alg": "ES256",
        "x_unknown_member": ["kept": true],
    ]

    func app(_ transport: Transport) throws -> (TestApp, String) {
        let app = try TestApp(transport)
        return (app, try app.broker.partners.add(name: "Bank").token)
    }

    @Test("register, read, update, delete", arguments: Transport.allCases)
    func lifecycle(_ transport: Transport) throws {
        let (app, token) = try app(transport)
        #expect(app.broker.discoveryDocument["registration_endpoint"]?.stringValue == app.baseURL + "/register")

        let created = try app.json("POST", "/register", Self.metadata, bearer: token)
        #expect(created.status == 201 && created.header("Cache-Control") == "no-store")
        let clientID = try #require(created.json["client_id"]?.stringValue)
        let registrationToken = try #require(created.json["registration_access_token"]?.stringValue)
        #expect(created.json["client_secret"]?.stringValue != nil && created.json["client_secret_expires_at"] == 0)
        #expect(created.json["x_unknown_member"] == ["kept": true])
        let uri = try #require(created.json["registration_client_uri"]?.stringValue)
        #expect(uri == app.baseURL + "/register/" + clientID)
        let path = "/register/" + clientID

        let read = try app.request("GET", path, headers: [("Authorization", "Bearer \(registrationToken)")])
        #expect(read.status == 200 && read.json["client_name"] == "Bank Portal" && read.json["client_secret"] == nil)

        var document = Self.metadata.objectValue ?? [:]
        document["client_id"] = .string(clientID)
        document["client_name"] = "Bank Portal 2"
        let updated = try app.json("PUT", path, .object(document), bearer: registrationToken)
        #expect(updated.status == 200 && updated.json["client_name"] == "Bank Portal 2")
        let rotated = try #require(updated.json["registration_access_token"]?.stringValue)
        #expect(rotated != registrationToken)
        #expect(try app.request("GET", path, headers: [("Authorization", "Bearer \(registrationToken)")]).status == 401)

        let deleted = try app.request("DELETE", path, headers: [("Authorization", "Bearer \(rotated)")])
        #expect(deleted.status == 204)
        #expect(app.broker.clients.client(id: clientID) == nil)
        #expect(try app.request("GET", path, headers: [("Authorization", "Bearer \(rotated)")]).status == 401)
    }

    @Test("refusals: no token, another client's token, not JSON, not an object, oversized, bad metadata", arguments: Transport.allCases)
    func refusals(_ transport: Transport) throws {
        let (app, token) = try app(transport)
        let missing = try app.json("POST", "/register", Self.metadata)
        #expect(missing.status == 401 && missing.json["error"] == "invalid_token")
        #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(try app.json("POST", "/register", Self.metadata, bearer: "iat_nope").status == 401)

        let notJSON = try app.request("POST", "/register", headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")],
                                      body: Array("{oops".utf8))
        #expect(notJSON.status == 400 && notJSON.json["error"] == "invalid_client_metadata")
        let array = try app.json("POST", "/register", ["a", "b"], bearer: token)
        #expect(array.status == 400 && array.json["error"] == "invalid_client_metadata")
        let huge = try app.request("POST", "/register", headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")],
                                   body: Array(repeating: UInt8(ascii: " "), count: RegistrationService.maxBodyBytes + 10))
        #expect(huge.status == 413)
        var bad = Self.metadata.objectValue ?? [:]
        bad["redirect_uris"] = ["https://bank.example/cb#frag"]
        let badRedirect = try app.json("POST", "/register", .object(bad), bearer: token)
        #expect(badRedirect.status == 400 && badRedirect.json["error"] == "invalid_redirect_uri")
        #expect(badRedirect.json["error_description"]?.stringValue?.hasPrefix("redirect_uris") == true)

        let a = try app.json("POST", "/register", Self.metadata, bearer: token).json
        let b = try app.json("POST", "/register", Self.metadata, bearer: token).json
        let aID = try #require(a["client_id"]?.stringValue)
        let bToken = try #require(b["registration_access_token"]?.stringValue)
        for method in ["GET", "DELETE"] {
            let reply = try app.request(method, "/register/" + aID, headers: [("Authorization", "Bearer \(bToken)")])
            #expect(reply.status == 401 && reply.json["error"] == "invalid_token", "\(method)")
        }
        #expect(app.broker.clients.client(id: aID) != nil)
    }
}
