import JOSE

/// The `auth_req_id` of a CIBA request (CIBA Core §7.3): 256 bits, derived as
/// base64url(HMAC-SHA-256(key, "auth_req_id:" ‖ seed)) from a random 256-bit seed.
///
/// The store keeps only the seed and the SHA-256 of the id: the token endpoint finds a request
/// by hashing what the client presents, and the ping (§10.2), which must hand the id back to the
/// client, re-derives it from the seed with the broker's key. A copy of the request table alone
/// yields no usable id.
struct AuthReqIDs: Sendable {
    let key: [UInt8]

    func derive(seed: String) -> String {
        Base64URL.encode(Crypto.hmacSHA256(key: key, data: Array(("auth_req_id:" + seed).utf8)))
    }

    /// The key under which a presented id is stored.
    static func hash(_ authReqID: String) -> String { SecretHash.of(authReqID) }
}
