import JOSE
import JSON
import Testing
@testable import Broker

/// Which key of a partner's set verifies a JWS (client assertions, signed CIBA requests,
/// upstream ID tokens, software statements all resolve through it).
@Suite("Verification key of a partner's JWK set")
struct VerificationKeyTests {
    static func header(alg: String, kid: String? = nil) throws -> JWSHeader {
        var raw: [String: JSONValue] = ["alg": .string(alg)]
        if let kid { raw["kid"] = .string(kid) }
        return try JWSHeader(raw: raw)
    }

    @Test("a kid names the key; an unknown kid is keyNotFound")
    func byKid() throws {
        let keys = [try JWK.generate(for: .es256, kid: "a"), try JWK.generate(for: .es256, kid: "b")]
        #expect(try keys.verificationKey(for: Self.header(alg: "ES256", kid: "b")).kid == "b")
        #expect(throws: JOSEError.keyNotFound) { try keys.verificationKey(for: Self.header(alg: "ES256", kid: "c")) }
    }

    @Test("without a kid, the only signing key allowing the alg; none or several is keyNotFound")
    func byAlgorithm() throws {
        var encryption = try JWK.generate(for: .es256, kid: "enc")
        encryption.use = "enc"
        let signing = try JWK.generate(for: .es256, kid: "sig")
        let ed = try JWK.generate(for: .edDSA, kid: "ed")
        #expect(try [encryption, signing, ed].verificationKey(for: Self.header(alg: "ES256")).kid == "sig",
                "an encryption key is not a candidate")
        #expect(throws: JOSEError.keyNotFound) { try [encryption, ed].verificationKey(for: Self.header(alg: "ES256")) }
        #expect(throws: JOSEError.keyNotFound, "two candidates are ambiguous") {
            try [signing, try JWK.generate(for: .es256)].verificationKey(for: Self.header(alg: "ES256"))
        }
    }
}
