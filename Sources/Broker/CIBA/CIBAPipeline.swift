/// Which checks `/bc-authorize` runs, in order (CIBA Core §7.1 and §13). Cheap syntax checks
/// come before the ones that read the store; the citizen is resolved last.
public enum CIBAPipeline {
    public static let backchannelAuthentication: [CIBACheck] = [
        .cibaClient,
        .signedRequest,
        .scope,
        .userCode,
        .bindingMessage,
        .requestedExpiry,
        .clientNotificationToken,
        .acrValues,
        .hint,
        .citizen,
    ]

    static func run(_ checks: [CIBACheck], on context: CIBAContext) throws(OAuthError) -> CIBAContext {
        var context = context
        for check in checks { try check.run(&context) }
        return context
    }
}
