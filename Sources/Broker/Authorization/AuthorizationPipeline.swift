/// Which checks run on which front-channel endpoint, in order. The first two decide whether
/// the redirect URI can be trusted: until both passed, an error is shown on the broker's page
/// and never redirected (RFC 6749 §4.1.2.1).
public enum AuthorizationPipeline {
    /// `/authorize`, GET and POST (OIDC Core §3.1.2).
    public static let authorize: [AuthorizationCheck] = [
        .client,
        .redirectURI,
        .noDuplicateParameters,
        .responseType,
        .responseMode,
        .scope,
        .pkce,
        .state,
        .nonce,
        .prompt,
        .maxAge,
        .acrValues,
        .loginHint,
        .idpHint,   // federation
        .uiLocales,
        .claims,
        .requestObject,
    ]

    /// The outcome of running `checks`.
    public enum Outcome: Sendable {
        /// Every check passed.
        case valid(AuthorizationContext)
        /// The redirect URI is not trusted: show the error on the broker's page.
        case errorPage(OAuthError)
        /// The redirect URI is trusted: send the error back to the relying party.
        case errorResponse(AuthorizationResponse)
    }

    public static func run(_ checks: [AuthorizationCheck], on context: AuthorizationContext) -> Outcome {
        var context = context
        for check in checks {
            do {
                try check.run(&context)
            } catch {
                guard let target = context.responseTarget else { return .errorPage(error) }
                return .errorResponse(.error(error, to: target))
            }
        }
        return .valid(context)
    }
}
