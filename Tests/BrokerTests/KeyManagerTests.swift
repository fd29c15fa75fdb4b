import JOSE
import JSON
import Testing
@testable import Broker

@Suite("Signing keys and JWKS")
struct KeyManagerTests {
    @Test("keys exist after start, one per algorithm, public only in the JWKS")
    func firstStart() throws {
        let t = try TestBroker(algorithms: KeyManager.algorithms)
        let jwks = try JSONValue(parsing: t.broker.keys.jwksDocument)
        let keys = try #require(jwks["keys"]?.arrayValue)
        #expect(keys.count == KeyManager.algorithms.count)
        for key in keys {
            #expect(key["kid"]?.stringValue != nil)
            #expect(key["use"]?.stringValue == "sig")
            #expect(key["alg"]?.stringValue != nil)
            for privatePart in ["d", "p", "q", "dp", "dq", "qi"] { #expect(key[privatePart] == nil) }
        }
        for algorithm in KeyManager.algorithms {
            let key = try t.broker.keys.signingKey(for: algorithm)
            let token = try JWT.sign(claims: ["iss": "x"], key: key, algorithm: algorithm)
            let set = try JWKSet(json: jwks)
            _ = try JWS.verify(token, allowed: [algorithm]) { header throws(JOSEError) in
                guard let kid = header.kid, let found = set.key(withID: kid) else { throw .keyNotFound }
                return found
            }
        }
    }

    @Test("a second start reuses the stored keys")
    func reuse() throws {
        let t = try TestBroker()
        let before = t.broker.keys.jwksDocument
        try t.broker.prepare()
        #expect(t.broker.keys.jwksDocument == before)
    }

    @Test("rotation publishes new keys and keeps the old ones until they expire")
    func rotation() throws {
        let t = try TestBroker(algorithms: [.es256, .rs256]) { $0.retiredKeyPublication = 1000 }
        let old = try t.broker.keys.signingKey(for: .es256).kid
        let fresh = try t.broker.keys.rotate()
        #expect(fresh.count == 2)
        let current = try t.broker.keys.signingKey(for: .es256).kid
        #expect(current != old && fresh.contains(current ?? ""))
        #expect(t.broker.keys.publishedKeys.contains { $0.kid == old })
        t.clock.advance(1001)
        try t.broker.keys.reload()
        #expect(!t.broker.keys.publishedKeys.contains { $0.kid == old })
        #expect(t.broker.keys.publishedKeys.count == 2)
    }

    @Test("discovery lists the issuer, the JWKS and only implemented features")
    func discovery() throws {
        let t = try TestBroker()
        let document = t.broker.discoveryDocument
        #expect(document["issuer"]?.stringValue == "http://127.0.0.1:8080")
        #expect(document["jwks_uri"]?.stringValue == "http://127.0.0.1:8080/jwks")
        #expect(document["authorization_endpoint"]?.stringValue == "http://127.0.0.1:8080/authorize")
        #expect(document["request_parameter_supported"] == false)   // request objects are not implemented
    }
}
