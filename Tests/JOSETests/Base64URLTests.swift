import Testing
@testable import JOSE

struct Base64Case: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let text: String
    var testDescription: String { name }
}

@Suite("Base64url (RFC 7515 §2, RFC 4648 §5)")
struct Base64URLTests {
    static let known: [Base64Case] = [
        .init(name: "empty", bytes: [], text: ""),
        .init(name: "one byte", bytes: Array("f".utf8), text: "Zg"),
        .init(name: "two bytes", bytes: Array("fo".utf8), text: "Zm8"),
        .init(name: "three bytes", bytes: Array("foo".utf8), text: "Zm9v"),
        .init(name: "RFC 4648 §10 foobar", bytes: Array("foobar".utf8), text: "Zm9vYmFy"),
        .init(name: "URL-safe alphabet (- and _)", bytes: [0xFB, 0xFF, 0xBF], text: "-_-_"),
        .init(name: "RFC 7515 §3.3 header", bytes: Array("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}".utf8),
              text: "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"),
    ]

    @Test("encodes and decodes known values", arguments: known)
    func roundTrip(_ testCase: Base64Case) throws {
        #expect(Base64URL.encode(testCase.bytes) == testCase.text)
        #expect(try Base64URL.decode(testCase.text) == testCase.bytes)
    }

    @Test("every length 0...64 round-trips")
    func allLengths() throws {
        for length in 0...64 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(try Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test("decodes a Substring")
    func substring() throws {
        let text = "xxZm9vyy"
        #expect(try Base64URL.decode(text.dropFirst(2).dropLast(2)) == Array("foo".utf8))
    }

    static let invalid: [(String, String)] = [
        ("padding", "Zg=="),
        ("single padding", "Zm8="),
        ("plus", "+w"),
        ("slash", "/w"),
        ("space", "Zm 9v"),
        ("newline", "Zm9v\nZg"),
        ("length ≡ 1 mod 4", "Zm9vY"),
        ("non-zero trailing bits in 2-char tail", "Zh"),
        ("non-zero trailing bits in 3-char tail", "Zm9"),
        ("non-ASCII", "Zm9é"),
        ("NUL", "Zm\u{0}v"),
    ]

    @Test("strict decoding refuses", arguments: invalid)
    func refuses(_ name: String, _ text: String) {
        #expect(throws: JOSEError.invalidBase64, "\(name)") { try Base64URL.decode(text) }
    }
}
