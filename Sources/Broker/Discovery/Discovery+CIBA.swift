import JSON

extension Broker {
    /// Discovery members of CIBA (CIBA Core §4). The grant type itself is listed by the back
    /// channel's `grant_types_supported`, which names every registered `TokenGrant`.
    var cibaDiscovery: [String: JSONValue] {
        [
            "backchannel_authentication_endpoint": .string(ciba.url),
            "backchannel_token_delivery_modes_supported": .array(CIBA.deliveryModes.map { .string($0) }),
            "backchannel_authentication_request_signing_alg_values_supported":
                .array(ClientMetadataValidator.assertionAlgorithms.map(\.rawValue).sorted().map { .string($0) }),
            "backchannel_user_code_parameter_supported": false,
        ]
    }
}
