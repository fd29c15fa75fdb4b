import Testing
import JSON
@testable import JOSE

struct Refusal: CustomTestStringConvertible, Sendable {
    let name: String
    let token: String
    let error: JOSEError
    var testDescription: String { name }
}

/// Builds tokens for the refusal table from a fixed ES256 key.
enum Forge {
    /// RFC 7515 A.3's key. Optional so a parse failure shows up as failing tests, not a trap.
    static let parsedKey = try? JWK(jsonText: #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#)
    static var key: JWK {
        get throws { try #require(parsedKey) }
    }

    static func b64(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }

    /// A JWS over `header` text, really signed with ES256 by `key`.
    static func signed(header: String, payload: String = #"{"sub":"x"}"#) -> String {
        guard let key = parsedKey else { return "unsignable" }
        return (try? JWS.sign(protectedHeader: Array(header.utf8), payload: Array(payload.utf8), key: key, algorithm: .es256)) ?? "unsignable"
    }

    /// Header and payload with an arbitrary signature.
    static func unsigned(header: String, signature: [UInt8] = [UInt8](repeating: 1, count: 64)) -> String {
        b64(header) + "." + b64(#"{"sub":"x"}"#) + "." + Base64URL.encode(signature)
    }
}

@Suite("JWS refusals")
struct JWSRefusalTests {
    static let good = Forge.signed(header: #"{"alg":"ES256"}"#)
    // Padded so a signing failure shows up as failing cases, not an index trap.
    static let parts = compactParts(good) + ["", "", ""]

    static let cases: [Refusal] = [
        .init(name: "alg none", token: Forge.b64(#"{"alg":"none"}"#) + "." + Forge.b64("{}") + ".", error: .algorithmNone),
        .init(name: "alg NONE (case variant)", token: Forge.unsigned(header: #"{"alg":"NONE"}"#), error: .algorithmNone),
        .init(name: "HS256 header", token: Forge.unsigned(header: #"{"alg":"HS256"}"#), error: .unsupportedAlgorithm("HS256")),
        .init(name: "RS256 header with an EC key", token: Forge.unsigned(header: #"{"alg":"RS256"}"#, signature: Array(repeating: 1, count: 256)),
              error: .keyAlgorithmMismatch),
        .init(name: "EdDSA header with an EC key", token: Forge.unsigned(header: #"{"alg":"EdDSA"}"#), error: .keyAlgorithmMismatch),
        .init(name: "alg missing", token: Forge.unsigned(header: #"{"kid":"1"}"#), error: .malformed("header without alg")),
        .init(name: "alg not a string", token: Forge.unsigned(header: #"{"alg":1}"#), error: .malformed("alg is not a string")),
        .init(name: "unknown crit", token: Forge.signed(header: #"{"alg":"ES256","crit":["exp"],"exp":1}"#), error: .unknownCritical("exp")),
        .init(name: "crit empty", token: Forge.signed(header: #"{"alg":"ES256","crit":[]}"#), error: .malformed("crit must be a non-empty array")),
        .init(name: "crit names an absent member", token: Forge.signed(header: #"{"alg":"ES256","crit":["x"]}"#),
              error: .malformed("crit entries must be distinct names present in the header")),
        .init(name: "unencoded payload (b64 false)", token: Forge.signed(header: #"{"alg":"ES256","b64":false,"crit":["b64"]}"#),
              error: .malformed("unencoded payload (b64) not supported")),
        .init(name: "kid not a string", token: Forge.signed(header: #"{"alg":"ES256","kid":1}"#), error: .malformed("kid is not a string")),
        .init(name: "ES256 signature 63 bytes", token: Forge.unsigned(header: #"{"alg":"ES256"}"#, signature: Array(repeating: 1, count: 63)),
              error: .badSignatureLength),
        .init(name: "ES256 signature in DER form (70 bytes)",
              token: Forge.unsigned(header: #"{"alg":"ES256"}"#, signature: Array(repeating: 1, count: 70)), error: .badSignatureLength),
        .init(name: "empty signature", token: parts[0] + "." + parts[1] + ".", error: .badSignatureLength),
        .init(name: "signature of another payload", token: parts[0] + "." + Forge.b64(#"{"sub":"y"}"#) + "." + parts[2], error: .invalidSignature),
        .init(name: "all-zero signature", token: Forge.unsigned(header: #"{"alg":"ES256"}"#, signature: Array(repeating: 0, count: 64)),
              error: .invalidSignature),
        .init(name: "bad base64 in header", token: "e+J" + parts[0].dropFirst(3) + "." + parts[1] + "." + parts[2], error: .invalidBase64),
        .init(name: "bad base64 in payload", token: parts[0] + "." + parts[1] + "=." + parts[2], error: .invalidBase64),
        .init(name: "bad base64 in signature", token: parts[0] + "." + parts[1] + "." + parts[2].dropLast() + "/", error: .invalidBase64),
        .init(name: "whitespace in token", token: parts[0] + " ." + parts[1] + "." + parts[2], error: .invalidBase64),
        .init(name: "1 part", token: parts[0], error: .malformed("compact JWS must have 3 parts, not 1")),
        .init(name: "2 parts", token: parts[0] + "." + parts[1], error: .malformed("compact JWS must have 3 parts, not 2")),
        .init(name: "4 parts", token: good + ".", error: .malformed("compact JWS must have 3 parts, not 4")),
        .init(name: "5 parts (JWE)", token: "a.b.c.d.e", error: .malformed("compact JWS must have 3 parts, not 5")),
        .init(name: "empty token", token: "", error: .malformed("compact JWS must have 3 parts, not 1")),
        .init(name: "empty header", token: "." + parts[1] + "." + parts[2], error: .malformed("empty protected header")),
        .init(name: "header not JSON", token: Forge.unsigned(header: "alg=ES256"), error: .malformed("header: unexpected character")),
        .init(name: "header not an object", token: Forge.unsigned(header: #"["alg","ES256"]"#), error: .malformed("header is not a JSON object")),
        .init(name: "header with duplicate alg", token: Forge.unsigned(header: #"{"alg":"ES256","alg":"none"}"#),
              error: .malformed("header: duplicate object key")),
        .init(name: "header with trailing garbage", token: Forge.unsigned(header: #"{"alg":"ES256"}x"#),
              error: .malformed("header: unexpected data after the document")),
    ]

    @Test("refused with the expected error", arguments: cases)
    func refuses(_ testCase: Refusal) throws {
        // Every algorithm allowed, so the key binding itself is what refuses a mismatch.
        let key = try Forge.key.publicKey
        #expect(throws: testCase.error) { try JWS.verify(testCase.token, key: key, allowed: Set(JWSAlgorithm.allCases)) }
    }

    @Test("the good token verifies (the table's baseline)")
    func baseline() throws {
        #expect(try JWS.verify(Self.good, key: (try Forge.key).publicKey).payload == Array(#"{"sub":"x"}"#.utf8))
    }

    @Test("an allowed list without the alg refuses it")
    func notAllowed() throws {
        let key = try Forge.key
        #expect(throws: JOSEError.algorithmNotAllowed("ES256")) {
            try JWS.verify(Self.good, allowed: [.rs256, .edDSA]) { _ throws(JOSEError) in key }
        }
        #expect(throws: JOSEError.algorithmNotAllowed("ES256")) { try JWS.verify(Self.good, key: key, allowed: []) }
    }

    @Test("a key pinned to another alg refuses")
    func pinnedKey() throws {
        let rsa = try JWK(json: try TestVectors.value("rfc7520.json", "3.4 RSA private key"))
        var pinned = rsa
        pinned.algorithm = .ps256
        let rs256 = try JWS.sign(payload: [1], key: rsa, algorithm: .rs256)
        #expect(throws: JOSEError.keyAlgorithmMismatch) {
            try JWS.verify(rs256, allowed: [.rs256, .ps256]) { _ throws(JOSEError) in pinned.publicKey }
        }
        #expect(throws: JOSEError.keyAlgorithmMismatch) { try JWS.sign(payload: [1], key: pinned, algorithm: .rs256) }
        // RSA signature of the wrong length for the modulus.
        let parts = compactParts(rs256)
        let short = parts[0] + "." + parts[1] + "." + Base64URL.encode([UInt8](repeating: 1, count: 255))
        #expect(throws: JOSEError.badSignatureLength) { try JWS.verify(short, key: rsa.publicKey) }
    }

    @Test("an Ed25519 signature must be exactly 64 bytes")
    func ed25519Length() throws {
        let key = try JWK(json: try TestVectors.value("rfc8037.json", "A.2 public key"))
        let parts = compactParts(try TestVectors.string("rfc8037.json", "A.4 jws"))
        let signature = try Base64URL.decode(parts[2])
        for bad in [Array(signature.prefix(63)), signature + [0]] {
            let token = parts[0] + "." + parts[1] + "." + Base64URL.encode(bad)
            #expect(throws: JOSEError.badSignatureLength) { try JWS.verify(token, key: key) }
        }
        #expect(try JWS.verify(parts.joined(separator: "."), key: key).header.alg == .edDSA)
    }

    @Test("understood crit names pass; the resolver's error propagates")
    func critAndResolver() throws {
        let key = try Forge.key
        let token = Forge.signed(header: #"{"alg":"ES256","crit":["exp"],"exp":1}"#)
        let verified = try JWS.verify(token, allowed: [.es256], understoodCritical: ["exp"]) { _ throws(JOSEError) in key }
        #expect(verified.header.crit == ["exp"])
        #expect(throws: JOSEError.keyNotFound) {
            try JWS.verify(Self.good, allowed: [.es256]) { _ throws(JOSEError) in throw .keyNotFound }
        }
    }

    @Test("a public key cannot sign")
    func publicCannotSign() throws {
        let key = try Forge.key.publicKey
        #expect(throws: JOSEError.invalidKey("a public key cannot sign")) {
            try JWS.sign(payload: [1], key: key, algorithm: .es256)
        }
    }

    @Test("decodeUnverified returns header and payload without checking")
    func decodeUnverified() throws {
        let token = Forge.unsigned(header: #"{"alg":"ES256","kid":"k"}"#, signature: [1])
        let decoded = try JWS.decodeUnverified(token)
        #expect(decoded.header["kid"] == "k")
        #expect(decoded.payload == Array(#"{"sub":"x"}"#.utf8))
        #expect(throws: JOSEError.malformed("header is not a JSON object")) { try JWS.decodeUnverified(Forge.unsigned(header: "1")) }
    }

    @Test("sign puts alg and kid in the header, caller members kept, alg not overridable")
    func signHeader() throws {
        var key = try Forge.key
        key.kid = "k1"
        let token = try JWS.sign(payload: [1, 2], key: key, algorithm: .es256, header: ["typ": "dpop+jwt", "alg": "none"])
        let header = try JWS.decodeUnverified(token).header
        #expect(header == ["alg": "ES256", "kid": "k1", "typ": "dpop+jwt"])
        #expect(compactParts(token)[0] == Forge.b64(#"{"alg":"ES256","kid":"k1","typ":"dpop+jwt"}"#))
        let verified = try JWS.verify(token, key: key.publicKey)
        #expect(verified.header.typ == "dpop+jwt")
        #expect(verified.key.kid == "k1")
    }
}
