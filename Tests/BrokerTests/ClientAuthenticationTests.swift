import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

@Suite("Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523)")
struct ClientAuthenticationTests {
    func authenticate(_ f: BackChannelFixture, _ credentials: ClientCredentials) -> Result<Client, OAuthError> {
        Result(catching: { () throws(OAuthError) in try f.broker.clientAuthenticator.authenticate(credentials, endpoint: f.broker.tokenEndpoint.url) })
    }

    func refusal(_ f: BackChannelFixture, _ credentials: ClientCredentials) -> OAuthError? {
        if case .failure(let error) = authenticate(f, credentials) { return error }
        return nil
    }

    @Test("each method authenticates its client")
    func methods() throws {
        let f = try BackChannelFixture()
        #expect(try authenticate(f, BackChannelFixture.partner).get().id == "partner")
        #expect(try authenticate(f, BackChannelFixture.webB).get().id == "web-b")
        #expect(try authenticate(f, BackChannelFixture.native).get().id == "native")
        #expect(try authenticate(f, f.webACredentials(try f.assertion())).get().id == "web-a")
        // The form client_id may accompany an assertion when it agrees.
        var withID = f.webACredentials(try f.assertion())
        withID.clientID = "web-a"
        #expect(try authenticate(f, withID).get().id == "web-a")
    }

    @Test("Basic credentials are form-urlencoded before base64 (RFC 6749 §2.3.1)")
    func basicEncoding() {
        var credentials = ClientCredentials()
        credentials.readAuthorization("Basic " + Data("my%20client:p%3Ass+word".utf8).base64EncodedString())
        #expect(credentials.basic == .init(clientID: "my client", secret: "p:ss word"))
        var garbage = ClientCredentials()
        garbage.readAuthorization("Basic !!!")
        #expect(garbage.basic == nil && garbage.malformedBasic)
        for bad in ["Basic bm9jb2xvbg==", "Basic YTpi=", "Basic YTpiYw=x", "Basic %%%%", "Basic YSUyOmI="] {
            var refused = ClientCredentials()
            refused.readAuthorization(bad)   // no colon; bad padding; data after padding; not base64; bad escape
            #expect(refused.basic == nil && refused.malformedBasic, "\(bad)")
        }
        var spaced = ClientCredentials()
        spaced.readAuthorization("basic  " + Data("a:b%2Bc".utf8).base64EncodedString() + " ")
        #expect(spaced.basic == .init(clientID: "a", secret: "b+c"))
        #expect(ClientCredentials.base64Decode(Array("YWJjZA==".utf8)) == Array("abcd".utf8))
        #expect(ClientCredentials.base64Decode(Array("YWJjZGU=".utf8)) == Array("abcde".utf8))
        var bearer = ClientCredentials()
        bearer.readAuthorization("Bearer abc")
        #expect(!bearer.triedBasic)
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        let name: String
        let code: String
        let make: @Sendable (BackChannelFixture) throws -> ClientCredentials
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "wrong secret (Basic)", code: "invalid_client") { _ in ClientCredentials(basic: .init(clientID: "partner", secret: "nope")) },
        Refusal(name: "wrong secret (post)", code: "invalid_client") { _ in ClientCredentials(clientID: "web-b", clientSecret: "nope") },
        Refusal(name: "unknown client", code: "invalid_client") { _ in ClientCredentials(basic: .init(clientID: "ghost", secret: "x")) },
        Refusal(name: "no credentials at all", code: "invalid_client") { _ in ClientCredentials() },
        Refusal(name: "a method other than the registered one", code: "invalid_client") { _ in
            ClientCredentials(basic: .init(clientID: "web-b", secret: "b-secret"))
        },
        Refusal(name: "a confidential client posing as public", code: "invalid_client") { _ in ClientCredentials(clientID: "partner") },
        Refusal(name: "two methods at once", code: "invalid_request") { _ in
            ClientCredentials(basic: .init(clientID: "partner", secret: "p-secret"), clientSecret: "p-secret")
        },
        Refusal(name: "Basic and an assertion at once", code: "invalid_request") { f in
            var c = f.webACredentials(try f.assertion())
            c.basic = .init(clientID: "web-a", secret: "x")
            return c
        },
        Refusal(name: "form client_id disagreeing with Basic", code: "invalid_request") { _ in
            ClientCredentials(basic: .init(clientID: "partner", secret: "p-secret"), clientID: "web-b")
        },
        Refusal(name: "assertion signed with a wrong key", code: "invalid_client") { f in
            f.webACredentials(try f.assertion(key: try JWK.generate(for: .es256, kid: "web-a-1")))
        },
        Refusal(name: "assertion with a wrong aud", code: "invalid_client") { f in f.webACredentials(try f.assertion(audience: "https://other.example/token")) },
        Refusal(name: "expired assertion", code: "invalid_client") { f in
            let assertion = try f.assertion(lifetime: 30)
            f.clock.advance(120)
            return f.webACredentials(assertion)
        },
        Refusal(name: "assertion expiring too far ahead", code: "invalid_client") { f in f.webACredentials(try f.assertion(lifetime: 3_600)) },
        Refusal(name: "assertion whose sub is another client", code: "invalid_client") { f in
            var c = f.webACredentials(try f.assertion(subject: "web-b"))
            c.clientID = "web-a"
            return c
        },
        Refusal(name: "HMAC-signed assertion", code: "invalid_client") { f in
            let now = f.clock.now
            let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
            let payload = Base64URL.encode(JSONValue.object([
                "iss": "web-a", "sub": "web-a", "aud": .string(f.broker.tokenEndpoint.url), "exp": .int(now + 60), "jti": "h1",
            ]).serialized())
            let mac = Crypto.hmacSHA256(key: Array("web-a-public-key-as-secret".utf8), data: Array("\(header).\(payload)".utf8))
            return f.webACredentials("\(header).\(payload).\(Base64URL.encode(mac))")
        },
        Refusal(name: "assertion without jti", code: "invalid_client") { f in
            let now = f.clock.now
            return f.webACredentials(try JWT.sign(claims: [
                "iss": "web-a", "sub": "web-a", "aud": .string(f.broker.tokenEndpoint.url), "exp": .int(now + 60),
            ], key: f.webAKey, algorithm: .es256))
        },
        Refusal(name: "wrong client_assertion_type", code: "invalid_client") { f in
            ClientCredentials(assertionType: "urn:example:other", assertion: try f.assertion())
        },
    ]

    @Test("refusals", arguments: refusals)
    func refused(_ r: Refusal) throws {
        let f = try BackChannelFixture()
        let error = try #require(refusal(f, try r.make(f)))
        #expect(error.code == r.code)
        #expect(error.status == (r.code == "invalid_client" ? 401 : 400))
    }

    @Test("a replayed jti is refused; the issuer is accepted as aud")
    func replay() throws {
        let f = try BackChannelFixture()
        let assertion = try f.assertion(audience: f.broker.configuration.issuer, jti: "once")
        #expect(try authenticate(f, f.webACredentials(assertion)).get().id == "web-a")
        let again = try #require(refusal(f, f.webACredentials(assertion)))
        #expect(again.code == "invalid_client")
        #expect(again.errorDescription.contains("jti"))
    }

    @Test("failed client authentication is audited")
    func audited() throws {
        let f = try BackChannelFixture()
        _ = refusal(f, ClientCredentials(basic: .init(clientID: "partner", secret: "nope")))
        let events = try f.broker.store.audit(citizenID: nil, limit: 10, beforeSequence: nil)
        #expect(events.contains { $0.action == "client.authentication" && $0.outcome == "failure" && $0.clientID == "partner" })
    }
}

@Suite("Secret comparison")
struct SecretComparisonTests {
    @Test("the fast hex comparison agrees with SecretHash", arguments: ["", "p-secret", "ยาว long secret ✓", String(repeating: "x", count: 300)])
    func agrees(_ secret: String) {
        #expect(SecretComparison.matches(secret, hash: SecretHash.of(secret)))
        #expect(!SecretComparison.matches(secret + "!", hash: SecretHash.of(secret)))
    }
}

@Suite("Client assertions at other client-authenticated endpoints")
struct AssertionAudienceTests {
    @Test("at /introspect, an assertion for the token endpoint (authlib's habit) or for /introspect is accepted; another server's is not",
          arguments: [("token endpoint", "/token", true), ("this endpoint", "/introspect", true), ("another path", "/revoke", false)])
    func audiences(_ name: String, _ path: String, _ accepted: Bool) throws {
        let f = try BackChannelFixture()
        let assertion = try f.assertion(audience: f.broker.configuration.issuer + path)
        let result = Result { () throws(OAuthError) in
            try f.broker.clientAuthenticator.authenticate(f.webACredentials(assertion), endpoint: f.broker.configuration.issuer + "/introspect")
        }
        if accepted {
            #expect(try result.get().id == "web-a", "\(name)")
        } else {
            #expect(throws: OAuthError.self, "\(name)") { try result.get() }
        }
    }
}
