/// The one error type the broker shows to callers (RFC 6749 §5.2, OIDC Core §3.1.2.6,
/// CIBA §13, RFC 7591 §3.2.2 and the Phisut contract).
///
/// `description` is sent to the caller; `debug` never is — it goes to logs only. Anything that
/// is not an `OAuthError` is rendered as a detail-free `server_error`.
public struct OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let errorDescription: String
    public let status: Int
    public let debug: String?

    public init(_ code: String, _ description: String, status: Int = 400, debug: String? = nil) {
        self.code = code
        self.errorDescription = description
        self.status = status
        self.debug = debug
    }

    public var description: String { "\(code): \(errorDescription)" + (debug.map { " [\($0)]" } ?? "") }

    // RFC 6749 §5.2 / §4.1.2.1
    public static func invalidRequest(_ d: String, debug: String? = nil) -> OAuthError { .init("invalid_request", d, debug: debug) }
    public static func invalidClient(_ d: String, debug: String? = nil) -> OAuthError { .init("invalid_client", d, status: 401, debug: debug) }
    public static func invalidGrant(_ d: String, debug: String? = nil) -> OAuthError { .init("invalid_grant", d, debug: debug) }
    public static func unauthorizedClient(_ d: String) -> OAuthError { .init("unauthorized_client", d) }
    public static func unsupportedGrantType(_ d: String) -> OAuthError { .init("unsupported_grant_type", d) }
    public static func invalidScope(_ d: String) -> OAuthError { .init("invalid_scope", d) }
    public static func accessDenied(_ d: String) -> OAuthError { .init("access_denied", d, status: 403) }
    // RFC 6750 §3.1
    public static func invalidToken(_ d: String, debug: String? = nil) -> OAuthError { .init("invalid_token", d, status: 401, debug: debug) }
    public static func insufficientScope(_ d: String) -> OAuthError { .init("insufficient_scope", d, status: 403) }
    // Generic
    public static func notFound(_ d: String) -> OAuthError { .init("not_found", d, status: 404) }
    public static func conflict(_ d: String) -> OAuthError { .init("conflict", d, status: 409) }
    public static func tooManyRequests(_ d: String) -> OAuthError { .init("slow_down", d, status: 429) }
    public static func serverError(debug: String) -> OAuthError { .init("server_error", "The server could not complete the request.", status: 500, debug: debug) }

    // Phisut contract (CONTRACT.md, officer and device APIs)
    public static func invalidCitizenID(_ d: String) -> OAuthError { .init("invalid_citizen_id", d) }
    public static func invalidEnrollmentCode(_ d: String) -> OAuthError { .init("invalid_enrollment_code", d) }
    public static func citizenMismatch(_ d: String) -> OAuthError { .init("citizen_mismatch", d) }
    public static func termsNotAccepted(_ d: String) -> OAuthError { .init("terms_not_accepted", d) }
    public static func invalidProof(_ d: String, debug: String? = nil) -> OAuthError { .init("invalid_proof", d, debug: debug) }
    public static func tooManyDevices(_ d: String) -> OAuthError { .init("too_many_devices", d, status: 409) }
}
