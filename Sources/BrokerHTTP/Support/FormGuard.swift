import Foundation
import JOSE

/// MACs for the browser pages: CSRF tokens bound to a cookie, and cookies that only the broker
/// can mint. A form posted from another site cannot carry a valid token, because it cannot
/// read the cookie the token is bound to.
struct FormGuard: Sendable {
    private let secret: [UInt8]

    init(secret: [UInt8]) { self.secret = secret }

    /// base64url(HMAC-SHA-256(secret, purpose ‖ ":" ‖ text)); purposes keep one MAC from
    /// standing in for another.
    func mac(_ purpose: String, _ text: String) -> String {
        Base64URL.encode(Crypto.hmacSHA256(key: secret, data: Array((purpose + ":" + text).utf8)))
    }

    /// Whether `value` is the MAC of `text` for `purpose`, compared in constant time.
    func verify(_ value: String?, _ purpose: String, _ text: String) -> Bool {
        guard let value else { return false }
        return Crypto.constantTimeEquals(Array(mac(purpose, text).utf8), Array(value.utf8))
    }

    /// The hidden CSRF field's value for a form, bound to a cookie's value.
    func csrfToken(binding value: String) -> String { mac("csrf", value) }

    /// Whether a posted CSRF token belongs to this cookie value (an absent cookie never passes).
    func checkCSRF(_ token: String?, binding value: String?) -> Bool {
        guard let value, !value.isEmpty else { return false }
        return verify(token, "csrf", value)
    }
}
