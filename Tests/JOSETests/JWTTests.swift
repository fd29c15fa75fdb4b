import Testing
import JSON
@testable import JOSE

struct ClaimsCase: CustomTestStringConvertible, Sendable {
    let name: String
    let claims: [String: JSONValue]
    let validator: JWTClaimsValidator
    let error: JOSEError?
    var testDescription: String { name }
}

@Suite("JWT claims (RFC 7519 §4.1)")
struct JWTClaimsTests {
    static let now: Int64 = 1_700_000_000
    static let base = JWTClaimsValidator(issuer: "https://op.example", audience: "client-1", now: now)
    static func with(_ change: (inout JWTClaimsValidator) -> Void) -> JWTClaimsValidator {
        var validator = base
        change(&validator)
        return validator
    }
    static let valid: [String: JSONValue] = ["iss": "https://op.example", "aud": "client-1", "exp": .int(now + 300), "iat": .int(now)]
    static func claims(_ changes: [String: JSONValue?]) -> [String: JSONValue] {
        var result = valid
        for (key, value) in changes { result[key] = value ?? nil }
        for (key, value) in changes where value == nil { result.removeValue(forKey: key) }
        return result
    }

    static let cases: [ClaimsCase] = [
        .init(name: "valid", claims: valid, validator: base, error: nil),
        .init(name: "aud array containing audience", claims: claims(["aud": ["other", "client-1"]]), validator: base, error: nil),
        .init(name: "expired beyond leeway", claims: claims(["exp": .int(now - 61)]), validator: base, error: .expired),
        .init(name: "expired exactly at leeway edge", claims: claims(["exp": .int(now - 60)]), validator: base, error: .expired),
        .init(name: "expired but within leeway", claims: claims(["exp": .int(now - 59)]), validator: base, error: nil),
        .init(name: "expired with zero leeway", claims: claims(["exp": .int(now)]), validator: with { $0.leeway = 0 }, error: .expired),
        .init(name: "negative leeway counts as zero", claims: claims(["exp": .int(now + 1)]), validator: with { $0.leeway = -100 }, error: nil),
        .init(name: "fractional exp", claims: claims(["exp": .double(Double(now) + 30.5)]), validator: base, error: nil),
        .init(name: "exp far future does not overflow", claims: claims(["exp": .int(.max)]), validator: base, error: nil),
        .init(name: "exp huge double", claims: claims(["exp": .double(1e300)]), validator: base, error: nil),
        .init(name: "missing exp", claims: claims(["exp": nil]), validator: base, error: .missingClaim("exp")),
        .init(name: "missing exp allowed", claims: claims(["exp": nil]), validator: with { $0.requireExpiration = false }, error: nil),
        .init(name: "exp is a string", claims: claims(["exp": "tomorrow"]), validator: base, error: .invalidClaim("exp")),
        .init(name: "nbf in the future", claims: claims(["nbf": .int(now + 61)]), validator: base, error: .notYetValid),
        .init(name: "nbf within leeway", claims: claims(["nbf": .int(now + 60)]), validator: base, error: nil),
        .init(name: "nbf in the past", claims: claims(["nbf": .int(now - 1000)]), validator: base, error: nil),
        .init(name: "iat in the future", claims: claims(["iat": .int(now + 61)]), validator: base, error: .issuedInFuture),
        .init(name: "iat within leeway", claims: claims(["iat": .int(now + 60)]), validator: base, error: nil),
        .init(name: "iat required and missing", claims: claims(["iat": nil]), validator: with { $0.requireIssuedAt = true },
              error: .missingClaim("iat")),
        .init(name: "iat is a bool", claims: claims(["iat": true]), validator: base, error: .invalidClaim("iat")),
        .init(name: "wrong iss", claims: claims(["iss": "https://evil.example"]), validator: base, error: .wrongIssuer),
        .init(name: "iss differs only in case", claims: claims(["iss": "https://OP.example"]), validator: base, error: .wrongIssuer),
        .init(name: "missing iss", claims: claims(["iss": nil]), validator: base, error: .missingClaim("iss")),
        .init(name: "iss not a string", claims: claims(["iss": 1]), validator: base, error: .invalidClaim("iss")),
        .init(name: "iss not checked when not configured", claims: claims(["iss": "any"]), validator: with { $0.issuer = nil }, error: nil),
        .init(name: "aud string mismatch", claims: claims(["aud": "client-2"]), validator: base, error: .wrongAudience),
        .init(name: "aud array mismatch", claims: claims(["aud": ["client-2", "client-3"]]), validator: base, error: .wrongAudience),
        .init(name: "aud empty array", claims: claims(["aud": []]), validator: base, error: .wrongAudience),
        .init(name: "aud array with a non-string", claims: claims(["aud": ["client-1", 5]]), validator: base, error: .invalidClaim("aud")),
        .init(name: "aud object", claims: claims(["aud": ["client-1": true]]), validator: base, error: .invalidClaim("aud")),
        .init(name: "missing aud", claims: claims(["aud": nil]), validator: base, error: .missingClaim("aud")),
        .init(name: "lifetime within bound", claims: claims(["exp": .int(now + 300)]), validator: with { $0.maxLifetime = 300 }, error: nil),
        .init(name: "lifetime too long", claims: claims(["exp": .int(now + 301)]), validator: with { $0.maxLifetime = 300 },
              error: .lifetimeTooLong),
        .init(name: "lifetime bound needs iat", claims: claims(["iat": nil]), validator: with { $0.maxLifetime = 300 },
              error: .missingClaim("iat")),
        .init(name: "exp − iat overflow (iat = Int64.min) is too long", claims: claims(["exp": .int(.max), "iat": .int(.min)]),
              validator: with { $0.maxLifetime = 300 }, error: .lifetimeTooLong),
        .init(name: "lifetime subtraction overflow", claims: claims(["exp": .int(.max), "iat": .int(-10)]),
              validator: with { $0.maxLifetime = 300 }, error: .lifetimeTooLong),
    ]

    @Test("validation table", arguments: cases)
    func validate(_ testCase: ClaimsCase) {
        if let error = testCase.error {
            #expect(throws: error) { try testCase.validator.validate(testCase.claims) }
        } else {
            #expect(throws: Never.self) { try testCase.validator.validate(testCase.claims) }
        }
    }
}

@Suite("JWT sign and verify")
struct JWTTests {
    @Test("sign then verify returns header and claims", arguments: JWSAlgorithm.allCases)
    func roundTrip(_ algorithm: JWSAlgorithm) throws {
        let key = try JWK.generate(for: algorithm, kid: "k-\(algorithm.rawValue)")
        let now: Int64 = 1_700_000_000
        let claims: [String: JSONValue] = ["iss": "https://op.example", "sub": "citizen-1", "aud": ["rp"], "iat": .int(now),
                                           "exp": .int(now + 300), "name": "สมชาย"]
        let token = try JWT.sign(claims: claims, key: key, algorithm: algorithm, type: "at+jwt")
        let validator = JWTClaimsValidator(issuer: "https://op.example", audience: "rp", now: now + 10)
        let keys = JWKSet(keys: [key.publicKey])
        let result = try JWT.verify(token, allowed: [algorithm], validator: validator) { header throws(JOSEError) in
            guard let kid = header.kid, let found = keys.key(withID: kid) else { throw .keyNotFound }
            return found
        }
        #expect(result.claims == claims)
        #expect(result.header.typ == "at+jwt")
        #expect(result.header.alg == algorithm)
        var late = validator
        late.now = now + 1000
        #expect(throws: JOSEError.expired) {
            try JWT.verify(token, allowed: [algorithm], validator: late) { _ throws(JOSEError) in key.publicKey }
        }
    }

    @Test("default typ is JWT; nil omits it")
    func type() throws {
        let key = try #require(Forge.parsedKey)
        #expect(try JWS.decodeUnverified(JWT.sign(claims: [:], key: key, algorithm: .es256)).header["typ"] == "JWT")
        #expect(try JWS.decodeUnverified(JWT.sign(claims: [:], key: key, algorithm: .es256, type: nil)).header["typ"] == nil)
    }

    @Test("a payload that is not a JSON object is refused")
    func payloadNotObject() throws {
        let key = try #require(Forge.parsedKey)
        let validator = JWTClaimsValidator(now: 0, requireExpiration: false)
        for payload in ["[1]", "not json", "\"string\""] {
            let token = try JWS.sign(payload: Array(payload.utf8), key: key, algorithm: .es256)
            #expect(throws: JOSEError.self) {
                try JWT.verify(token, allowed: [.es256], validator: validator) { _ throws(JOSEError) in key.publicKey }
            }
        }
    }
}
