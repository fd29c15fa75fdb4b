import DeviceKit
import JOSE
import JSON
import Testing

@Suite("Sealed device key")
struct SealedKeyTests {
    @Test("round trip with the recommended scrypt parameters (N=2^15, r=8, p=1)")
    func recommendedRoundTrip() throws {
        let key = try DeviceKeyType.p256.generate()
        let passcode = try Passcode("123456")
        let sealed = try SealedKey.seal(key, passcode: passcode, kdf: .recommendedScrypt)
        #expect(sealed.kdf == .scrypt(n: 32768, r: 8, p: 1))
        #expect(sealed.salt.count == 16 && sealed.nonce.count == 12 && sealed.tag.count == 16)
        let opened = try sealed.open(passcode: passcode)
        #expect(opened.isPrivate)
        #expect(opened.thumbprint() == key.thumbprint())
    }

    @Test("round trip with PBKDF2-SHA256 at 600,000 iterations")
    func pbkdf2RoundTrip() throws {
        let key = try DeviceKeyType.ed25519.generate()
        let passcode = try Passcode("246810")
        let sealed = try SealedKey.seal(key, passcode: passcode, kdf: .recommendedPBKDF2)
        #expect(try sealed.open(passcode: passcode).thumbprint() == key.thumbprint())
        #expect(throws: DeviceError.wrongPasscode(remaining: 0)) { try sealed.open(passcode: Passcode("246811")) }
    }

    @Test("the recommended KDF is scrypt on this OpenSSL")
    func recommendedIsScrypt() {
        #expect(PasscodeKDF.recommended == .recommendedScrypt)
    }

    @Test("a wrong passcode fails GCM authentication", arguments: DeviceKeyType.allCases)
    func wrongPasscode(_ type: DeviceKeyType) throws {
        let sealed = try SealedKey.seal(try type.generate(), passcode: Passcode("123456"), kdf: cheapKDF)
        #expect(throws: DeviceError.wrongPasscode(remaining: 0)) { try sealed.open(passcode: Passcode("123457")) }
    }

    @Test("the ciphertext hides the key, and two seals of one key differ")
    func freshSaltAndNonce() throws {
        let key = try DeviceKeyType.p256.generate()
        let passcode = try Passcode("123456")
        let one = try SealedKey.seal(key, passcode: passcode, kdf: cheapKDF)
        let two = try SealedKey.seal(key, passcode: passcode, kdf: cheapKDF)
        #expect(one.salt != two.salt && one.nonce != two.nonce && one.ciphertext != two.ciphertext)
        let d = try #require(key.json(includePrivate: true)["d"]?.stringValue)
        #expect(!String(decoding: one.ciphertext, as: UTF8.self).contains(d))
        #expect(!Base64URL.encode(one.ciphertext).contains(d))
    }

    @Test("a public key is not sealed")
    func publicRefused() throws {
        let key = try DeviceKeyType.p256.generate().publicKey
        #expect(throws: DeviceError.self) { try SealedKey.seal(key, passcode: Passcode("123456"), kdf: cheapKDF) }
    }
}
