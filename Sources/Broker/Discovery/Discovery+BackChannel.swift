import JSON

extension Broker {
    /// Discovery members of the back channel: `/token`, `/userinfo`, introspection, revocation.
    var backChannelDiscovery: [String: JSONValue] { [:] }
}
