import Testing
import JSON
@testable import JOSE

@Suite("JWK parsing and export (RFC 7517, 7518 §6, 8037 §2)")
struct JWKTests {
    @Test("RFC 7520 §3.4 RSA private key parses with all private parts")
    func rfc7520RSAPrivate() throws {
        let json = try TestVectors.value("rfc7520.json", "3.4 RSA private key")
        let key = try JWK(json: json)
        #expect(key.keyType == .rsa)
        #expect(key.isPrivate)
        #expect(key.kid == "bilbo.baggins@hobbiton.example")
        #expect(key.use == "sig")
        #expect(key.bits == 2048)
        #expect(key.allowedAlgorithms == [.rs256, .ps256])
        // Export reproduces every member exactly.
        #expect(key.json(includePrivate: true) == json)
        #expect(key.json()["d"] == nil)
        #expect(key.json()["p"] == nil)
    }

    @Test("RFC 7520 §3.3 RSA public key parses and equals the private key's public part")
    func rfc7520RSAPublic() throws {
        let publicJSON = try TestVectors.value("rfc7520.json", "3.3 RSA public key")
        let key = try JWK(json: publicJSON)
        #expect(!key.isPrivate)
        #expect(key.json() == publicJSON)
        let privateKey = try JWK(json: try TestVectors.value("rfc7520.json", "3.4 RSA private key"))
        #expect(privateKey.publicKey.json(includePrivate: true) == publicJSON)
        #expect(!privateKey.publicKey.isPrivate)
        #expect(privateKey.thumbprint() == key.thumbprint())
    }

    @Test("RFC 7520 §3.1/§3.2 P-521 keys are refused as unsupported", arguments: ["3.1 EC public key (P-521)", "3.2 EC private key (P-521)"])
    func rfc7520P521(_ name: String) throws {
        let json = try TestVectors.value("rfc7520.json", name)
        #expect(throws: JOSEError.unsupportedKey("EC curve P-521")) { try JWK(json: json) }
    }

    @Test("RFC 7638 §3.1 thumbprint")
    func rfc7638() throws {
        let key = try JWK(json: try TestVectors.value("rfc7638.json", "jwk"))
        #expect(key.thumbprint() == (try TestVectors.string("rfc7638.json", "thumbprint")))
        #expect(key.thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        #expect(key.algorithm == .rs256)
        #expect(key.allowedAlgorithms == [.rs256])
        #expect(key.kid == "2011-04-29")
    }

    @Test("RFC 8037 A.1–A.3: Ed25519 private key, its public key, thumbprint")
    func rfc8037Keys() throws {
        let privateJSON = try TestVectors.value("rfc8037.json", "A.1 private key")
        let publicJSON = try TestVectors.value("rfc8037.json", "A.2 public key")
        let key = try JWK(json: privateJSON)
        #expect(key.keyType == .okp)
        #expect(key.isPrivate)
        #expect(key.json(includePrivate: true) == privateJSON)
        #expect(key.publicKey.json() == publicJSON)
        #expect(try JWK(json: publicJSON).json() == publicJSON)
        #expect(key.thumbprint() == (try TestVectors.string("rfc8037.json", "A.3 thumbprint")))
        #expect(key.allowedAlgorithms == [.edDSA])
    }

    @Test("RFC 7515 A.3 P-256 key parses; export is exact")
    func p256() throws {
        let json = try TestVectors.value("rfc7515.json", "A.3", "jwk")
        let key = try JWK(json: json)
        #expect(key.keyType == .ec)
        #expect(key.json(includePrivate: true) == json)
        #expect(key.allowedAlgorithms == [.es256])
        #expect(key.bits == 256)
    }

    @Test("kid/use/alg are editable values and exported")
    func metadata() throws {
        var key = try JWK(json: try TestVectors.value("rfc7515.json", "A.3", "jwk"))
        let copy = key
        key.kid = "k1"
        key.use = "sig"
        key.algorithm = .es256
        #expect(copy.kid == nil)
        let json = key.publicKey.json()
        #expect(json["kid"] == "k1")
        #expect(json["use"] == "sig")
        #expect(json["alg"] == "ES256")
        #expect(json["d"] == nil)
        key.use = "enc"
        #expect(key.allowedAlgorithms.isEmpty)
    }

    @Test("parses from JSON text")
    func jsonText() throws {
        let key = try JWK(jsonText: #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)
        #expect(key.keyType == .okp)
        #expect(throws: JOSEError.self) { try JWK(jsonText: #"{"kty":"OKP","kty":"OKP"}"#) }
    }
}

struct KeyRefusal: CustomTestStringConvertible, Sendable {
    let name: String
    let json: String
    let error: JOSEError
    var testDescription: String { name }
}

@Suite("JWK refusals")
struct JWKRefusalTests {
    static let p256X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
    static let p256Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
    static let rsaN = "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw"
    /// A 1024-bit modulus (RFC 7520-sized keys are 2048; this one is deliberately small).
    static let rsa1024N = "5_wPMDD0aOKBgjP" + String(repeating: "A", count: 155) + "Q"

    static let cases: [KeyRefusal] = [
        .init(name: "symmetric oct key", json: #"{"kty":"oct","k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"}"#,
              error: .unsupportedKey("kty oct")),
        .init(name: "unknown kty", json: #"{"kty":"XYZ"}"#, error: .unsupportedKey("kty XYZ")),
        .init(name: "missing kty", json: #"{"n":"AQAB"}"#, error: .invalidKey("missing kty")),
        .init(name: "kty not a string", json: #"{"kty":1}"#, error: .invalidKey("kty is not a string")),
        .init(name: "not an object", json: #"["kty"]"#, error: .malformed("JWK is not a JSON object")),
        .init(name: "RSA 1024-bit", json: #"{"kty":"RSA","n":"\#(rsa1024N)","e":"AQAB"}"#, error: .keyTooSmall),
        .init(name: "RSA without e", json: #"{"kty":"RSA","n":"\#(rsaN)"}"#, error: .invalidKey("RSA key needs n and e")),
        .init(name: "RSA n not base64url", json: #"{"kty":"RSA","n":"a+b","e":"AQAB"}"#, error: .invalidKey("n is not base64url")),
        .init(name: "RSA multi-prime", json: #"{"kty":"RSA","n":"\#(rsaN)","e":"AQAB","oth":[]}"#,
              error: .unsupportedKey("multi-prime RSA (oth)")),
        .init(name: "RSA CRT parts without d", json: #"{"kty":"RSA","n":"\#(rsaN)","e":"AQAB","p":"AQAB"}"#,
              error: .invalidKey("RSA CRT parameters without d")),
        .init(name: "RSA private with only some CRT parts", json: #"{"kty":"RSA","n":"\#(rsaN)","e":"AQAB","d":"AQAB","p":"AQAB"}"#,
              error: .invalidKey("RSA private key with some but not all of p, q, dp, dq, qi")),
        .init(name: "EC P-384", json: #"{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}"#, error: .unsupportedKey("EC curve P-384")),
        .init(name: "EC secp256k1", json: #"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}"#, error: .unsupportedKey("EC curve secp256k1")),
        .init(name: "EC without crv", json: #"{"kty":"EC","x":"\#(p256X)","y":"\#(p256Y)"}"#, error: .invalidKey("EC key without crv")),
        .init(name: "EC without y", json: #"{"kty":"EC","crv":"P-256","x":"\#(p256X)"}"#, error: .invalidKey("EC key needs x and y")),
        .init(name: "EC short x", json: #"{"kty":"EC","crv":"P-256","x":"AQAB","y":"\#(p256Y)"}"#,
              error: .invalidKey("P-256 coordinates must be 32 bytes")),
        .init(name: "EC point not on curve (y altered)",
              json: #"{"kty":"EC","crv":"P-256","x":"\#(p256X)","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5aE"}"#,
              error: .invalidKey("OpenSSL refused the EC key material")),
        .init(name: "EC private key not matching the point",
              json: #"{"kty":"EC","crv":"P-256","x":"\#(p256X)","y":"\#(p256Y)","d":"870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE"}"#,
              error: .invalidKey("private key does not match public key")),
        .init(name: "OKP X25519", json: #"{"kty":"OKP","crv":"X25519","x":"AA"}"#, error: .unsupportedKey("OKP curve X25519")),
        .init(name: "OKP Ed448", json: #"{"kty":"OKP","crv":"Ed448","x":"AA"}"#, error: .unsupportedKey("OKP curve Ed448")),
        .init(name: "Ed25519 x too short", json: #"{"kty":"OKP","crv":"Ed25519","x":"AQAB"}"#, error: .invalidKey("Ed25519 x must be 32 bytes")),
        .init(name: "Ed25519 d not matching x",
              json: #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"\#(p256X)"}"#,
              error: .invalidKey("Ed25519 x does not match d")),
        .init(name: "alg outside our set", json: #"{"kty":"RSA","alg":"RS384","n":"\#(rsaN)","e":"AQAB"}"#,
              error: .unsupportedAlgorithm("RS384")),
        .init(name: "alg for another key type", json: #"{"kty":"RSA","alg":"ES256","n":"\#(rsaN)","e":"AQAB"}"#,
              error: .keyAlgorithmMismatch),
        .init(name: "kid not a string", json: #"{"kty":"RSA","kid":7,"n":"\#(rsaN)","e":"AQAB"}"#, error: .invalidKey("kid is not a string")),
        .init(name: "empty member", json: #"{"kty":"RSA","n":"","e":"AQAB"}"#, error: .invalidKey("n is empty")),
    ]

    @Test("refused with the expected error", arguments: cases)
    func refuses(_ testCase: KeyRefusal) {
        #expect(throws: testCase.error) { try JWK(jsonText: testCase.json) }
    }

    @Test("a real 1024-bit RSA PEM key is refused as too small")
    func rsa1024PEM() throws {
        let pem = try TestVectors.text("rsa1024-pkcs8.pem")
        #expect(throws: JOSEError.keyTooSmall) { try JWK(pem: pem) }
    }
}

@Suite("JWK from PEM, cross-checked against python-cryptography")
struct JWKPEMTests {
    static let files = ["p256-pkcs8.pem", "p256-spki.pem", "p256-traditional.pem", "rsa-pkcs8.pem",
                        "rsa-traditional.pem", "rsa-pkcs1-public.pem", "ed25519-pkcs8.pem"]

    @Test("parses and matches the independently computed public JWK", arguments: files)
    func parses(_ file: String) throws {
        let key = try JWK(pem: try TestVectors.text(file))
        let expected = try TestVectors.value("openssl.json", "keys", file)
        #expect(key.json() == expected["jwk"])
        #expect(key.thumbprint() == expected["thumbprint"]?.stringValue)
        #expect(key.isPrivate == !(file.contains("public") || file.contains("spki")))
    }

    static let refused: [(String, JOSEError)] = [
        ("p384-pkcs8.pem", .unsupportedKey("EC curve secp384r1")),
        ("rsa1024-pkcs8.pem", .keyTooSmall),
    ]

    @Test("refuses unsupported PEM keys", arguments: refused)
    func refusesKey(_ file: String, _ error: JOSEError) throws {
        let pem = try TestVectors.text(file)
        #expect(throws: error) { try JWK(pem: pem) }
    }

    @Test("refuses garbage and encrypted PEM without prompting")
    func garbage() {
        #expect(throws: JOSEError.invalidKey("not a PEM key OpenSSL can read")) { try JWK(pem: "hello") }
        #expect(throws: JOSEError.invalidKey("not a PEM key OpenSSL can read")) {
            try JWK(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        }
        #expect(throws: JOSEError.unsupportedKey("encrypted PEM")) {
            try JWK(pem: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")
        }
    }
}

@Suite("JWK generation and JWK Sets")
struct JWKGenerationTests {
    @Test("generated keys have the right type and sign/verify", arguments: JWSAlgorithm.allCases)
    func generate(_ algorithm: JWSAlgorithm) throws {
        let key = try JWK.generate(for: algorithm, kid: "gen")
        #expect(key.isPrivate)
        #expect(key.kid == "gen")
        #expect(key.allowedAlgorithms.contains(algorithm))
        #expect(key.bits == (algorithm.keyType == .rsa ? 2048 : 256))
        // The exported JWK re-imports to the same key.
        let reimported = try JWK(json: key.json(includePrivate: true))
        #expect(reimported.thumbprint() == key.thumbprint())
        let jws = try JWS.sign(payload: Array("hi".utf8), key: key, algorithm: algorithm)
        #expect(try JWS.verify(jws, key: reimported.publicKey).payload == Array("hi".utf8))
        if algorithm.keyType == .rsa { #expect(key.json(includePrivate: true)["e"] == "AQAB") }
    }

    @Test("a JWK Set skips keys it cannot use and fails on broken ones")
    func jwkSet() throws {
        let ed = try JWK(json: try TestVectors.value("rfc8037.json", "A.2 public key"))
        var rsa = try JWK(json: try TestVectors.value("rfc7520.json", "3.3 RSA public key"))
        rsa.kid = "rsa"
        let text = """
        {"keys":[
          \(rsa.json().serializedString()),
          {"kty":"oct","k":"AAAA"},
          {"kty":"EC","crv":"P-521","x":"AA","y":"AA"},
          {"kty":"RSA","alg":"RS512","n":"AQAB","e":"AQAB"},
          {"kty":"RSA","n":"\(JWKRefusalTests.rsa1024N)","e":"AQAB"},
          \(ed.json().serializedString())
        ]}
        """
        let set = try JWKSet(jsonText: text)
        #expect(set.keys.count == 2)
        #expect(set.key(withID: "rsa")?.keyType == .rsa)
        #expect(set.key(withID: "missing") == nil)
        #expect(try JWKSet(json: set.json()).keys.map { $0.thumbprint() } == set.keys.map { $0.thumbprint() })
        #expect(throws: JOSEError.malformed("JWK Set without a keys array")) { try JWKSet(jsonText: "{}") }
        #expect(throws: JOSEError.invalidKey("EC key needs x and y")) {
            try JWKSet(jsonText: #"{"keys":[{"kty":"EC","crv":"P-256"}]}"#)
        }
    }

    @Test("a set's JSON omits private parts unless asked")
    func setPrivacy() throws {
        let set = JWKSet(keys: [try JWK(json: try TestVectors.value("rfc8037.json", "A.1 private key"))])
        #expect(set.json()["keys"]?[0]?["d"] == nil)
        #expect(set.json(includePrivate: true)["keys"]?[0]?["d"] != nil)
    }
}
