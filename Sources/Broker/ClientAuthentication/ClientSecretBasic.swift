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
enum SecretComparison {
    static func check(_ presented: String, against client: Client) throws(OAuthError) {
        guard let stored = client.secretHash,
              Crypto.constantTimeEquals(Array(SecretHash.of(presented).utf8), Array(stored.utf8))
        else { throw .invalidClient("client authentication failed", debug: "wrong secret for \(client.id)") }
    }
}
