import JOSE

/// `client_secret_basic`: HTTP Basic with the form-urlencoded client id and secret
/// (RFC 6749 §2.3.1).
struct ClientSecretBasic: ClientAuthenticationMethod {
    var name: String { "client_secret_basic" }
    func isPresented(in credentials: ClientCredentials) -> Bool { credentials.triedBasic }
    func claimedClientID(_ credentials: ClientCredentials) -> String? { credentials.basic?.clientID }

    func authenticate(_ credentials: ClientCredentials, as client: Client, context: ClientAuthenticationContext) throws(OAuthError) {
        guard let basic = credentials.basic else { throw .invalidClient("the Basic credentials could not be decoded") }
        try SecretComparison.check(basic.secret, against: client)
    }
}

/// `client_secret_post`: `client_id` and `client_secret` in the form body (RFC 6749 §2.3.1,
/// "NOT RECOMMENDED" but registered by some partners).
struct ClientSecretPost: ClientAuthenticationMethod {
    var name: String { "client_secret_post" }
    func isPresented(in credentials: ClientCredentials) -> Bool { credentials.clientSecret != nil }
    func claimedClientID(_ credentials: ClientCredentials) -> String? { credentials.clientID }

    func authenticate(_ credentials: ClientCredentials, as client: Client, context: ClientAuthenticationContext) throws(OAuthError) {
        guard let secret = credentials.clientSecret else { throw .invalidClient("client_secret is required") }
        try SecretComparison.check(secret, against: client)
    }
}

/// Secrets are compared as hashes in constant time: the stored value is already a SHA-256, and
/// comparing digests leaks neither the secret's length nor where it differs.
///
/// On the token endpoint's hot path, so the digest is hex-encoded into one byte buffer rather
/// than through `SecretHash.of`'s per-byte strings; the result is the same lower-case hex.
enum SecretComparison {
    static func check(_ presented: String, against client: Client) throws(OAuthError) {
        guard let stored = client.secretHash, matches(presented, hash: stored) else {
            throw .invalidClient("client authentication failed", debug: "wrong secret for \(client.id)")
        }
    }

    static func matches(_ presented: String, hash stored: String) -> Bool {
        let digits: StaticString = "0123456789abcdef"
        var hex = [UInt8](repeating: 0, count: 64)
        digits.withUTF8Buffer { digits in
            for (index, byte) in Crypto.sha256(presented.utf8).enumerated() {
                hex[2 * index] = digits[Int(byte >> 4)]
                hex[2 * index + 1] = digits[Int(byte & 0x0f)]
            }
        }
        // A concrete loop rather than JOSE's generic `constantTimeEquals`, which is not
        // specialized across the module boundary and showed up in the token endpoint's profile.
        guard stored.utf8.count == hex.count else { return false }
        var difference: UInt8 = 0
        for (index, byte) in stored.utf8.enumerated() { difference |= byte ^ hex[index] }
        return difference == 0
    }
}
