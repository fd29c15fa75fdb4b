extension AuthorizationCheck {
    /// `client_id` names a known, enabled client (OIDC Core §3.1.2.1). Failures are shown on the
    /// broker's page: nothing is trusted yet.
    static let client = AuthorizationCheck("client") { context throws(OAuthError) in
        guard let id = try context.parameters.single("client_id") else {
            throw .invalidRequest("client_id is required")
        }
        guard let client = context.clients.client(id: id) else {
            throw OAuthError("invalid_client", "the client \(id) is not known or not enabled")
        }
        context.client = client
    }
}
