import JOSE
import JSON

/// The device's private JWK encrypted under the passcode: a KDF (`PasscodeKDF`) with a random
/// 16-byte salt gives a 256-bit key, then AES-256-GCM with a random 12-byte nonce and a
/// 16-byte tag (NIST SP 800-38D). A wrong passcode is detected by the tag, never by parsing
/// garbage.
public struct SealedKey: Sendable, Equatable {
    public let kdf: PasscodeKDF
    public let salt: [UInt8]
    public let nonce: [UInt8]
    public let tag: [UInt8]
    public let ciphertext: [UInt8]

    /// Binds the ciphertext to its purpose, so it cannot be swapped with another GCM blob.
    static let associatedData = Array("phisut-device sealed key v1".utf8)

    /// Encrypts `key`'s private JWK under `passcode`.
    public static func seal(_ key: JWK, passcode: Passcode, kdf: PasscodeKDF = .recommended) throws(DeviceError) -> SealedKey {
        guard key.isPrivate else { throw .crypto("only a private key is sealed") }
        let salt = Crypto.randomBytes(16)
        let nonce = Crypto.randomBytes(12)
        var secret = try kdf.derive(passcode: passcode, salt: salt)
        defer { wipe(&secret) }
        var plaintext = key.json(includePrivate: true).serialized()
        defer { wipe(&plaintext) }
        let (ciphertext, tag) = try AESGCM.encrypt(plaintext, key: secret, nonce: nonce, associatedData: associatedData)
        return SealedKey(kdf: kdf, salt: salt, nonce: nonce, tag: tag, ciphertext: ciphertext)
    }

    /// Decrypts with `passcode`. Throws `.wrongPasscode(remaining: 0)` when the tag does not
    /// verify (the caller counts the failures and fills in `remaining`).
    public func open(passcode: Passcode) throws(DeviceError) -> JWK {
        var secret = try kdf.derive(passcode: passcode, salt: salt)
        defer { wipe(&secret) }
        var plaintext = try AESGCM.decrypt(ciphertext, tag: tag, key: secret, nonce: nonce, associatedData: Self.associatedData)
        defer { wipe(&plaintext) }
        let key: JWK
        do {
            key = try JWK(json: try JSONValue(parsing: plaintext))
        } catch {
            throw .crypto("the sealed key does not hold a usable JWK")
        }
        guard key.isPrivate else { throw .crypto("the sealed key holds no private key") }
        return key
    }
}
