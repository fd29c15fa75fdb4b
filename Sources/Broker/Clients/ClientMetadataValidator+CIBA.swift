import JOSE
import JSON

extension ClientMetadataValidator {
    /// The CIBA members of client metadata (CIBA Core §4), checked together:
    /// - a CIBA client is confidential and names `backchannel_token_delivery_mode` `poll` or
    ///   `ping` (`push` is refused: FAPI-CIBA §5.2.2 forbids it);
    /// - ping needs `backchannel_client_notification_endpoint`, https (http on loopback only on a
    ///   development broker) — "This URL MUST use the https scheme" (§4);
    /// - `backchannel_authentication_request_signing_alg` is asymmetric and the client has keys;
    /// - `backchannel_user_code_parameter: true` is refused: the broker does not support user
    ///   codes (discovery says `backchannel_user_code_parameter_supported: false`);
    /// - the CIBA members without the CIBA grant are refused as a likely mistake.
    func validateCIBA(_ document: JSONValue, grantTypes: Set<String>, method: String, hasKeys: Bool) throws(OAuthError) {
        let mode = try string(document, "backchannel_token_delivery_mode")
        let endpoint = try string(document, "backchannel_client_notification_endpoint")
        let alg = try string(document, "backchannel_authentication_request_signing_alg")
        var userCode = false
        if let value = document["backchannel_user_code_parameter"], !value.isNull {
            guard let flag = value.boolValue else { throw Self.invalid("backchannel_user_code_parameter", "must be true or false") }
            userCode = flag
        }
        guard grantTypes.contains(CIBA.grantType) else {
            if mode != nil || endpoint != nil || alg != nil || userCode {
                throw Self.invalid("grant_types", "must contain \(CIBA.grantType) when backchannel metadata is registered")
            }
            return
        }
        if method == "none" {
            throw Self.invalid("token_endpoint_auth_method", "none is for public clients, which cannot use CIBA")
        }
        guard let mode else { throw Self.invalid("backchannel_token_delivery_mode", "is required for the CIBA grant (poll or ping)") }
        guard CIBA.deliveryModes.contains(mode) else {
            throw Self.invalid("backchannel_token_delivery_mode", mode == "push"
                ? "push is not supported (FAPI-CIBA forbids it); use poll or ping" : "must be poll or ping")
        }
        if mode == "ping" {
            guard let endpoint else { throw Self.invalid("backchannel_client_notification_endpoint", "is required in ping mode") }
            if let problem = webURIProblem(endpoint) { throw Self.invalid("backchannel_client_notification_endpoint", problem) }
        } else if let endpoint, let problem = webURIProblem(endpoint) {
            throw Self.invalid("backchannel_client_notification_endpoint", problem)
        }
        if let alg {
            guard let algorithm = JWSAlgorithm(rawValue: alg), Self.assertionAlgorithms.contains(algorithm) else {
                throw Self.invalid("backchannel_authentication_request_signing_alg",
                                   "must be one of \(Self.assertionAlgorithms.map(\.rawValue).sorted().joined(separator: ", ")), not \(alg)")
            }
            guard hasKeys else { throw Self.invalid("jwks", "or jwks_uri is required to verify signed authentication requests") }
        }
        if userCode {
            throw Self.invalid("backchannel_user_code_parameter", "is not supported by this broker (backchannel_user_code_parameter_supported is false)")
        }
    }
}
