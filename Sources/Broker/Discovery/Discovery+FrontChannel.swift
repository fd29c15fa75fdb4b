import JSON

extension Broker {
    /// Discovery members of the front channel: `/authorize`, login, consent, logout.
    var frontChannelDiscovery: [String: JSONValue] { [:] }
}
