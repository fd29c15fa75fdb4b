import Testing
import JSON
@testable import JOSE

@Suite("JWS RFC vectors")
struct JWSVectorTests {
    @Test("RFC 7515 A.2: RS256 signs byte-for-byte and verifies")
    func rfc7515A2() throws {
        let key = try JWK(json: try TestVectors.value("rfc7515.json", "A.2", "jwk"))
        let expected = try TestVectors.string("rfc7515.json", "A.2", "jws")
        let header = try Base64URL.decode(try TestVectors.string("rfc7515.json", "A.2", "protected"))
        let payload = try Base64URL.decode(try TestVectors.string("rfc7515.json", "A.2", "payload"))
        #expect(try JWS.sign(protectedHeader: header, payload: payload, key: key, algorithm: .rs256) == expected)
        let verified = try JWS.verify(expected, key: key.publicKey)
        #expect(verified.payload == payload)
        #expect(verified.header.alg == .rs256)
        #expect(verified.header.kid == nil)
    }

    @Test("RFC 7515 A.3: ES256 verifies the given JWS; sign+verify round trip")
    func rfc7515A3() throws {
        let key = try JWK(json: try TestVectors.value("rfc7515.json", "A.3", "jwk"))
        let given = try TestVectors.string("rfc7515.json", "A.3", "jws")
        let verified = try JWS.verify(given, key: key.publicKey)
        let claims = try JSONValue(parsing: verified.payload)
        #expect(claims["iss"] == "joe")
        #expect(claims["exp"] == 1300819380)
        let parts = compactParts(given)
        let header = try Base64URL.decode(parts[0]), payload = try Base64URL.decode(parts[1])
        let mine = try JWS.sign(protectedHeader: header, payload: payload, key: key, algorithm: .es256)
        #expect(compactParts(mine)[0] == parts[0] && compactParts(mine)[1] == parts[1])
        #expect(try Base64URL.decode(compactParts(mine)[2]).count == 64)
        #expect(try JWS.verify(mine, key: key.publicKey).payload == payload)
    }

    @Test("RFC 7515 A.4: ES512 is not supported — key and JWS are refused")
    func rfc7515A4() throws {
        let jwk = try TestVectors.value("rfc7515.json", "A.4", "jwk")
        #expect(throws: JOSEError.unsupportedKey("EC curve P-521")) { try JWK(json: jwk) }
        let jws = try TestVectors.string("rfc7515.json", "A.4", "jws")
        let anyKey = try JWK(json: try TestVectors.value("rfc7515.json", "A.3", "jwk"))
        #expect(throws: JOSEError.unsupportedAlgorithm("ES512")) {
            try JWS.verify(jws, allowed: Set(JWSAlgorithm.allCases)) { _ throws(JOSEError) in anyKey }
        }
    }

    @Test("RFC 7515 A.5: the unsecured JWS is refused whatever is allowed")
    func rfc7515A5() throws {
        let jws = try TestVectors.string("rfc7515.json", "A.5", "jws")
        let key = try JWK(json: try TestVectors.value("rfc7515.json", "A.3", "jwk"))
        #expect(throws: JOSEError.algorithmNone) {
            try JWS.verify(jws, allowed: Set(JWSAlgorithm.allCases)) { _ throws(JOSEError) in key }
        }
    }

    @Test("RFC 7520 §4.1: RS256 with kid signs byte-for-byte and verifies")
    func rfc7520Section41() throws {
        let key = try JWK(json: try TestVectors.value("rfc7520.json", "3.4 RSA private key"))
        let expected = try TestVectors.string("rfc7520.json", "4.1 RS256", "jws")
        let header = try Base64URL.decode(try TestVectors.string("rfc7520.json", "4.1 RS256", "protected"))
        let payload = try Base64URL.decode(try TestVectors.string("rfc7520.json", "payload"))
        #expect(try JWS.sign(protectedHeader: header, payload: payload, key: key, algorithm: .rs256) == expected)
        // The high-level signer produces the same header ({"alg","kid"} sorted) and so the same JWS.
        #expect(try JWS.sign(payload: payload, key: key, algorithm: .rs256) == expected)
        let publicKey = try JWK(json: try TestVectors.value("rfc7520.json", "3.3 RSA public key"))
        let verified = try JWS.verify(expected, allowed: [.rs256]) { header throws(JOSEError) in
            guard header.kid == publicKey.kid else { throw .keyNotFound }
            return publicKey
        }
        #expect(String(decoding: verified.payload, as: UTF8.self).hasPrefix("It’s a dangerous business, Frodo"))
    }

    @Test("RFC 7520 §4.2: PS384 is refused as unsupported; PS256 round-trips with the §3.4 key")
    func rfc7520Section42() throws {
        let key = try JWK(json: try TestVectors.value("rfc7520.json", "3.4 RSA private key"))
        let ps384 = try TestVectors.string("rfc7520.json", "4.2 PS384", "jws")
        #expect(throws: JOSEError.unsupportedAlgorithm("PS384")) { try JWS.verify(ps384, key: key.publicKey) }
        let payload = try Base64URL.decode(try TestVectors.string("rfc7520.json", "payload"))
        let first = try JWS.sign(payload: payload, key: key, algorithm: .ps256)
        let second = try JWS.sign(payload: payload, key: key, algorithm: .ps256)
        #expect(first != second, "PSS is randomized")
        #expect(try JWS.verify(first, key: key.publicKey).header.alg == .ps256)
        // A PS256 signature is not an RS256 signature.
        let relabelled = try JWS.sign(payload: payload, key: key, algorithm: .rs256)
        let forged = compactParts(relabelled)[0] + "." + compactParts(relabelled)[1] + "." + compactParts(first)[2]
        #expect(throws: JOSEError.invalidSignature) { try JWS.verify(forged, key: key.publicKey) }
    }

    @Test("RFC 7520 §4.3: ES512 is refused as unsupported")
    func rfc7520Section43() throws {
        let jws = try TestVectors.string("rfc7520.json", "4.3 ES512", "jws")
        let key = try JWK(json: try TestVectors.value("rfc7515.json", "A.3", "jwk"))
        #expect(throws: JOSEError.unsupportedAlgorithm("ES512")) { try JWS.verify(jws, key: key) }
    }

    @Test("RFC 8037 A.4: Ed25519 signs byte-for-byte; A.5 verifies")
    func rfc8037() throws {
        let key = try JWK(json: try TestVectors.value("rfc8037.json", "A.1 private key"))
        let expected = try TestVectors.string("rfc8037.json", "A.4 jws")
        let header = try Base64URL.decode(try TestVectors.string("rfc8037.json", "A.4 protected"))
        let payload = Array(try TestVectors.string("rfc8037.json", "A.4 payload text").utf8)
        #expect(try JWS.sign(protectedHeader: header, payload: payload, key: key, algorithm: .edDSA) == expected)
        #expect(try JWS.sign(payload: payload, key: key, algorithm: .edDSA) == expected)
        let publicKey = try JWK(json: try TestVectors.value("rfc8037.json", "A.2 public key"))
        #expect(try JWS.verify(expected, key: publicKey).payload == payload)
    }

    static let opensslAlgorithms = ["ES256", "RS256", "PS256", "EdDSA"]

    @Test("JWS signed by the openssl CLI verify (independent P-256, RSA, Ed25519 vectors)", arguments: opensslAlgorithms)
    func openssl(_ alg: String) throws {
        let entries = try TestVectors.value("openssl.json", "jws").arrayValue ?? []
        let entry = try #require(entries.first { $0["alg"]?.stringValue == alg })
        let key = try JWK(pem: try TestVectors.text(try #require(entry["key"]?.stringValue)))
        let verified = try JWS.verify(try #require(entry["jws"]?.stringValue), key: key.publicKey)
        #expect(verified.header.alg.rawValue == alg)
        #expect(try JSONValue(parsing: verified.payload)["sub"] == "cross-check")
    }
}
