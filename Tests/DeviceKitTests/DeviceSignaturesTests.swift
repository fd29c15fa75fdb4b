import DeviceKit
import JOSE
import JSON
import Testing

@Suite("Enrollment proof and device assertion")
struct DeviceSignaturesTests {
    @Test("the proof verifies with JOSE and carries exactly the three claims", arguments: DeviceKeyType.allCases)
    func proof(_ type: DeviceKeyType) throws {
        let key = try type.generate()
        let proof = try DeviceSignatures.enrollmentProof(key: key, algorithm: type.algorithm, code: "code-1",
                                                         citizenID: "1101700207030", now: 1_800_000_000)
        // Verified as the broker does: with the public key only, ES256/EdDSA allowed.
        let verified = try JWS.verify(proof, key: key.publicKey, allowed: [.es256, .edDSA])
        #expect(verified.header.alg == type.algorithm)
        let claims = try #require(try JSONValue(parsing: verified.payload).objectValue)
        #expect(Set(claims.keys) == ["enrollment_code", "citizen_id", "iat"])
        #expect(claims["enrollment_code"] == "code-1")
        #expect(claims["citizen_id"] == "1101700207030")
        #expect(claims["iat"]?.intValue == 1_800_000_000)
        // Another key does not verify it.
        #expect(throws: JOSEError.self) { try JWS.verify(proof, key: try type.generate().publicKey) }
    }

    @Test("device assertion claims match CONTRACT.md", arguments: DeviceKeyType.allCases)
    func assertion(_ type: DeviceKeyType) throws {
        let key = try type.generate()
        let now: Int64 = 1_800_000_000
        let token = try DeviceSignatures.deviceAssertion(key: key, algorithm: type.algorithm, deviceID: "dev_7",
                                                         issuer: "https://id.example", now: now)
        var validator = JWTClaimsValidator(issuer: "dev_7", audience: "https://id.example", now: now)
        validator.requireIssuedAt = true
        validator.maxLifetime = 300
        let (header, claims) = try JWT.verify(token, allowed: [.es256, .edDSA], validator: validator) { _ throws(JOSEError) in key.publicKey }
        #expect(header.kid == "dev_7")
        #expect(claims["iss"] == "dev_7" && claims["sub"] == "dev_7" && claims["aud"] == "https://id.example")
        let iat = try #require(claims["iat"]?.intValue)
        let exp = try #require(claims["exp"]?.intValue)
        #expect(iat == now && exp > iat && exp - iat <= 300)
        let jti = try #require(claims["jti"]?.stringValue)
        #expect(try Base64URL.decode(jti).count == 16, "128 random bits")
    }

    @Test("every assertion has a fresh jti")
    func uniqueJTI() throws {
        let key = try DeviceKeyType.ed25519.generate()
        var seen = Set<String>()
        for _ in 0..<50 {
            let token = try DeviceSignatures.deviceAssertion(key: key, algorithm: .edDSA, deviceID: "d", issuer: "https://i", now: 1)
            let claims = try JSONValue(parsing: JWS.decodeUnverified(token).payload)
            seen.insert(try #require(claims["jti"]?.stringValue))
        }
        #expect(seen.count == 50)
    }
}
