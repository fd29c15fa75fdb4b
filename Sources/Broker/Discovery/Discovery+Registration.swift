import JSON

extension Broker {
    /// Discovery members of dynamic client registration (OIDC Discovery §3, RFC 8414 §2).
    var registrationDiscovery: [String: JSONValue] {
        ["registration_endpoint": .string(configuration.issuer + "/register")]
    }
}
