import Testing
@testable import JOSE

@Suite("Crypto helpers")
struct CryptoTests {
    @Test("SHA-256 of FIPS 180-2 'abc' and of the empty string")
    func sha256() {
        #expect(Base64URL.encode(Crypto.sha256(Array("abc".utf8))) == "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0")
        #expect(Base64URL.encode(Crypto.sha256([UInt8]())) == "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU")
        #expect(Crypto.sha256(Array("abc".utf8).lazy.map { $0 }) == Crypto.sha256(Array("abc".utf8)))
    }

    @Test("HMAC-SHA-256 RFC 4231 test case 2")
    func hmac() {
        let mac = Crypto.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
        let hex = mac.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        #expect(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("HMAC with an empty key is well defined")
    func hmacEmptyKey() {
        // RFC 2104 with K = "" : zero-padded key, so equal to HMAC with a one-zero-byte key.
        #expect(Crypto.hmacSHA256(key: [], data: [1, 2, 3]) == Crypto.hmacSHA256(key: [0], data: [1, 2, 3]))
        #expect(Crypto.hmacSHA256(key: [], data: [1, 2, 3]) != Crypto.hmacSHA256(key: [1], data: [1, 2, 3]))
    }

    @Test("random bytes have the requested length and differ")
    func random() {
        #expect(Crypto.randomBytes(0).isEmpty)
        #expect(Crypto.randomBytes(48).count == 48)
        #expect(Crypto.randomBytes(32) != Crypto.randomBytes(32))
        let token = Crypto.randomToken()
        #expect(token.count == 43)
        #expect((try? Base64URL.decode(token))?.count == 32)
        #expect(Crypto.randomToken(bytes: 16).count == 22)
    }

    @Test("constant-time comparison")
    func constantTime() {
        #expect(Crypto.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(Crypto.constantTimeEquals([UInt8](), [UInt8]()))
        #expect(Crypto.constantTimeEquals(Array("abc".utf8), "abc".utf8))
    }
}
