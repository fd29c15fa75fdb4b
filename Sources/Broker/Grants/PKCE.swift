import JOSE

/// Proof Key for Code Exchange (RFC 7636), S256 only: `plain` is refused at `/authorize`.
public enum PKCE {
    /// RFC 7636 §4.1: `code-verifier = 43*128unreserved`, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
    public static func isWellFormed(verifier: String) -> Bool {
        let bytes = verifier.utf8
        guard (43...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: true
            default: false
            }
        }
    }

    /// RFC 7636 §4.6: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge`,
    /// compared in constant time.
    public static func verify(verifier: String, challenge: String) -> Bool {
        let computed = Base64URL.encode(Crypto.sha256(verifier.utf8))
        return Crypto.constantTimeEquals(Array(computed.utf8), Array(challenge.utf8))
    }

    /// The S256 challenge of a verifier (for clients and tests).
    public static func challenge(for verifier: String) -> String { Base64URL.encode(Crypto.sha256(verifier.utf8)) }
}
