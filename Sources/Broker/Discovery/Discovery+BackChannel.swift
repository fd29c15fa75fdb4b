import JSON

extension Broker {
    /// Discovery members of the back channel: `/token`, `/userinfo`, introspection, revocation.
    var backChannelDiscovery: [String: JSONValue] {
        let issuer = configuration.issuer
        let methods = JSONValue.array(ClientMetadataValidator.authenticationMethods.sorted().map { .string($0) })
        let confidentialMethods = JSONValue.array(
            ClientMetadataValidator.authenticationMethods.subtracting(["none"]).sorted().map { .string($0) })
        let assertionAlgorithms = JSONValue.array(ClientMetadataValidator.assertionAlgorithms.map(\.rawValue).sorted().map { .string($0) })
        return [
            "token_endpoint": .string(issuer + "/token"),
            "token_endpoint_auth_methods_supported": methods,
            "token_endpoint_auth_signing_alg_values_supported": assertionAlgorithms,
            "grant_types_supported": .array(TokenEndpoint.grants.keys.sorted().map { .string($0) }),
            "userinfo_endpoint": .string(issuer + "/userinfo"),
            "introspection_endpoint": .string(issuer + "/introspect"),
            "introspection_endpoint_auth_methods_supported": confidentialMethods,
            "introspection_endpoint_auth_signing_alg_values_supported": assertionAlgorithms,
            "revocation_endpoint": .string(issuer + "/revoke"),
            "revocation_endpoint_auth_methods_supported": methods,
            "revocation_endpoint_auth_signing_alg_values_supported": assertionAlgorithms,
        ]
    }
}
