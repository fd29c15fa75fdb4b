extension CIBACheck {
    /// The client is confidential, registered for the CIBA grant, in poll or ping mode
    /// (CIBA Core §4, §13 `unauthorized_client`). Push mode is never accepted (FAPI-CIBA §5.2.2).
    static let cibaClient = CIBACheck("client") { context throws(OAuthError) in
        let client = context.client
        guard !client.isPublic else { throw .unauthorizedClient("public clients cannot use CIBA; authenticate as a confidential client") }
        guard client.grantTypes.contains(CIBA.grantType) else {
            throw .unauthorizedClient("this client is not registered for the \(CIBA.grantType) grant")
        }
        guard let mode = client.backchannelTokenDeliveryMode, CIBA.deliveryModes.contains(mode) else {
            throw .unauthorizedClient("this client's backchannel_token_delivery_mode must be poll or ping")
        }
    }

    /// `scope` contains `openid` (CIBA Core §7.1) and only scopes the broker offers and the
    /// client registered.
    static let scope = CIBACheck("scope") { context throws(OAuthError) in
        guard let text = context.value("scope") else { throw .invalidScope("scope is required and must contain openid") }
        guard let scopes = Scopes.parse(text) else { throw .invalidScope("scope must be space-separated scope tokens") }
        guard scopes.contains("openid") else { throw .invalidScope("scope must contain openid") }
        for scope in scopes {
            guard ScopeCatalog.offered.contains(scope) else { throw .invalidScope("the scope \(scope) is not offered") }
            guard context.client.allowedScopes?.contains(scope) ?? true else {
                throw .invalidScope("this client may not ask for the scope \(scope)")
            }
        }
        context.scopes = scopes
    }

    /// `user_code` (CIBA Core §7.1) is not supported, and discovery says
    /// `backchannel_user_code_parameter_supported: false`; the validator refuses clients that
    /// register `backchannel_user_code_parameter: true`, so `missing_user_code` never arises. A
    /// user code that is sent is refused rather than ignored: a client relying on it against
    /// unsolicited requests must learn it does not protect anything here.
    static let userCode = CIBACheck("user_code") { context throws(OAuthError) in
        if context.value("user_code") != nil {
            throw .invalidRequest("user_code is not supported (backchannel_user_code_parameter_supported is false)")
        }
    }

    /// `acr_values`: values the broker does not know are ignored while at least one is known;
    /// whether the citizen can meet them is checked once the citizen is known.
    static let acrValues = CIBACheck("acr_values") { context throws(OAuthError) in
        guard let value = context.value("acr_values") else { return }
        let known = value.split(separator: " ").map(String.init).filter { Assurance.Requirement(acr: $0) != nil }
        guard !known.isEmpty else { throw .invalidRequest("none of the acr_values is supported; see acr_values_supported") }
        context.acrValues = known
    }
}
