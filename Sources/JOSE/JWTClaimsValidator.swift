import JSON

/// The registered-claim checks of RFC 7519 §4.1, each a small function below. Time is
/// injected (`now`, seconds since the epoch) so tests and callers control the clock.
public struct JWTClaimsValidator: Sendable {
    /// When set, `iss` must equal it (§4.1.1).
    public var issuer: String?
    /// When set, `aud` (a string or an array of strings) must contain it (§4.1.3).
    public var audience: String?
    /// The current time in seconds since the epoch.
    public var now: Int64
    /// Allowed clock skew in seconds for `exp`, `nbf` and `iat`; negative values count as 0.
    public var leeway: Int64 = 60
    /// Whether `exp` must be present.
    public var requireExpiration = true
    /// Whether `iat` must be present.
    public var requireIssuedAt = false
    /// When set, `exp - iat` may not exceed it (both claims then required).
    public var maxLifetime: Int64?

    public init(issuer: String? = nil, audience: String? = nil, now: Int64, leeway: Int64 = 60,
                requireExpiration: Bool = true, requireIssuedAt: Bool = false, maxLifetime: Int64? = nil) {
        self.issuer = issuer
        self.audience = audience
        self.now = now
        self.leeway = leeway
        self.requireExpiration = requireExpiration
        self.requireIssuedAt = requireIssuedAt
        self.maxLifetime = maxLifetime
    }

    /// Runs every check; the first failure is thrown.
    public func validate(_ claims: [String: JSONValue]) throws(JOSEError) {
        try checkIssuer(claims)
        try checkAudience(claims)
        let expiration = try JWTClaimsValidator.numericDate(claims, "exp")
        let notBefore = try JWTClaimsValidator.numericDate(claims, "nbf")
        let issuedAt = try JWTClaimsValidator.numericDate(claims, "iat")
        try checkExpiration(expiration)
        try checkNotBefore(notBefore)
        try checkIssuedAt(issuedAt)
        try checkLifetime(expiration: expiration, issuedAt: issuedAt)
    }

    private var skew: Int64 { max(0, leeway) }

    func checkIssuer(_ claims: [String: JSONValue]) throws(JOSEError) {
        guard let issuer else { return }
        guard let value = claims["iss"] else { throw .missingClaim("iss") }
        guard let iss = value.stringValue else { throw .invalidClaim("iss") }
        guard iss == issuer else { throw .wrongIssuer }
    }

    func checkAudience(_ claims: [String: JSONValue]) throws(JOSEError) {
        guard let audience else { return }
        guard let value = claims["aud"] else { throw .missingClaim("aud") }
        // §4.1.3: "In the general case, the "aud" value is an array of case-sensitive
        // strings ... In the special case when the JWT has one audience, the "aud" value MAY be
        // a single case-sensitive string".
        let audiences: [String]
        if let single = value.stringValue {
            audiences = [single]
        } else if let list = value.arrayValue {
            var strings: [String] = []
            for entry in list {
                guard let string = entry.stringValue else { throw .invalidClaim("aud") }
                strings.append(string)
            }
            audiences = strings
        } else {
            throw .invalidClaim("aud")
        }
        guard audiences.contains(audience) else { throw .wrongAudience }
    }

    /// §4.1.4: "the current date/time MUST be before the expiration date/time".
    func checkExpiration(_ expiration: Int64?) throws(JOSEError) {
        guard let expiration else {
            if requireExpiration { throw .missingClaim("exp") }
            return
        }
        guard now < expiration.addingSaturating(skew) else { throw .expired }
    }

    /// §4.1.5: "the current date/time MUST be after or equal to the not-before date/time".
    func checkNotBefore(_ notBefore: Int64?) throws(JOSEError) {
        guard let notBefore else { return }
        guard now.addingSaturating(skew) >= notBefore else { throw .notYetValid }
    }

    /// §4.1.6 gives `iat` no rule of its own; a token issued in the future is refused anyway.
    func checkIssuedAt(_ issuedAt: Int64?) throws(JOSEError) {
        guard let issuedAt else {
            if requireIssuedAt { throw .missingClaim("iat") }
            return
        }
        guard issuedAt <= now.addingSaturating(skew) else { throw .issuedInFuture }
    }

    func checkLifetime(expiration: Int64?, issuedAt: Int64?) throws(JOSEError) {
        guard let maxLifetime else { return }
        guard let expiration else { throw .missingClaim("exp") }
        guard let issuedAt else { throw .missingClaim("iat") }
        let (lifetime, overflow) = expiration.subtractingReportingOverflow(issuedAt)
        guard !overflow, lifetime <= maxLifetime else { throw .lifetimeTooLong }
    }

    /// A NumericDate (§2): a JSON number of seconds, possibly fractional (truncated here).
    static func numericDate(_ claims: [String: JSONValue], _ name: String) throws(JOSEError) -> Int64? {
        guard let value = claims[name] else { return nil }
        switch value {
        case .int(let seconds):
            return seconds
        case .double(let seconds) where seconds.isFinite:
            if seconds >= 9.2e18 { return .max }
            if seconds <= -9.2e18 { return .min }
            return Int64(seconds.rounded(.towardZero))
        default:
            throw .invalidClaim(name)
        }
    }
}

extension Int64 {
    fileprivate func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
