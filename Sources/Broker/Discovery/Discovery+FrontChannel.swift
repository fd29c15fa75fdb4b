import JSON

extension Broker {
    /// Discovery members of the front channel: `/authorize`, login, consent, logout.
    var frontChannelDiscovery: [String: JSONValue] {
        let issuer = configuration.issuer
        return [
            "authorization_endpoint": .string(issuer + "/authorize"),
            "end_session_endpoint": .string(issuer + "/logout"),
            "response_types_supported": ["code"],
            "response_modes_supported": .array(ResponseMode.allCases.map { .string($0.rawValue) }),
            "scopes_supported": .array(ScopeCatalog.offered.map { .string($0) }),
            "claims_supported": .array(ScopeCatalog.supportedClaims.map { .string($0) }),
            "acr_values_supported": .array(Assurance.supportedACRValues.map { .string($0) }),
            "code_challenge_methods_supported": ["S256"],
            "prompt_values_supported": ["none", "login", "consent"],
            "authorization_response_iss_parameter_supported": true,
            "claim_types_supported": ["normal"],
        ]
    }
}
