extension OAuthError {
    // Phisut federation pages (issue 7). Each is shown to the citizen on the broker's page,
    // never redirected; `debug` goes to the log and the audit only.

    /// No such upstream identity provider (or federation is off).
    public static func unknownIdP(_ d: String) -> OAuthError { .init("unknown_idp", d, status: 404) }
    /// The upstream is down, slow, or answered something that is not a response we can read.
    public static func upstreamUnavailable(debug: String) -> OAuthError {
        .init("upstream_unavailable", "The identity provider is not responding. Please try again later or choose another way to sign in.",
              status: 502, debug: debug)
    }
    /// The upstream answered with an OAuth error (the citizen cancelled, or it refused us).
    public static func upstreamError(debug: String) -> OAuthError {
        .init("upstream_error", "The identity provider did not complete the sign-in. Please try again or choose another way to sign in.",
              status: 400, debug: debug)
    }
    /// The upstream's answer failed verification: signature, issuer, audience, nonce, times.
    public static func upstreamInvalidResponse(debug: String) -> OAuthError {
        .init("upstream_invalid_response", "The identity provider's answer could not be verified, so the sign-in was stopped.",
              status: 502, debug: debug)
    }
    /// The callback's `state` is missing, unknown, of another browser, expired or replayed.
    public static func federationStateInvalid(debug: String) -> OAuthError {
        .init("federation_state_invalid", "This sign-in link is not valid here (it was used already, expired, or started in another browser). Please start again from the application.",
              status: 400, debug: debug)
    }
    /// The upstream identity carries no valid citizen ID.
    public static func federationNoCitizenID(debug: String) -> OAuthError {
        .init("federation_no_citizen_id", "The identity provider did not confirm a valid citizen ID for you, so it cannot be used to sign in here.",
              status: 403, debug: debug)
    }
    /// The citizen revoked the link to this upstream identity.
    public static func federationLinkRevoked(debug: String) -> OAuthError {
        .init("federation_link_revoked", "You removed the link to this identity provider from your account, so it can no longer sign you in.",
              status: 403, debug: debug)
    }
    /// The upstream identity is linked to another citizen, or is not the one the application named.
    public static func federationCitizenMismatch(debug: String) -> OAuthError {
        .init("federation_citizen_mismatch", "The identity provider signed in a different person than expected. Please start again.",
              status: 403, debug: debug)
    }
}
