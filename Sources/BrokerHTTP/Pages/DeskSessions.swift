import Foundation
import JOSE

/// Stateless officer-desk sessions: a cookie `officerID.expiry.mac`, MACed with a key that
/// lives only in this process (a restart signs every officer out, which is acceptable for a
/// desk). CSRF tokens are MACs bound to the session (or to a pre-session cookie on the
/// sign-in form), so a form posted from another site cannot carry a valid one.
struct DeskSessions: Sendable {
    static let cookieName = "phisut_desk"
    static let preSessionCookieName = "phisut_desk_pre"
    static let lifetime: Int64 = 8 * 3600   // one working day

    let forms = FormGuard(secret: Crypto.randomBytes(32))
    let secureCookies: Bool

    func issue(officerID: String, now: Int64) -> String {
        let body = officerID + "." + String(now + Self.lifetime)
        return body + "." + forms.mac("session", body)
    }

    /// The officer id of a valid, unexpired session cookie.
    func officerID(fromCookie value: String?, now: Int64) -> String? {
        guard let value else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expiry = Int64(parts[1]), expiry > now else { return nil }
        let body = parts[0] + "." + parts[1]
        guard forms.verify(String(parts[2]), "session", String(body)) else { return nil }
        return String(parts[0])
    }

    func csrfToken(binding value: String) -> String { forms.csrfToken(binding: value) }

    func checkCSRF(_ token: String?, binding value: String?) -> Bool { forms.checkCSRF(token, binding: value) }
}
