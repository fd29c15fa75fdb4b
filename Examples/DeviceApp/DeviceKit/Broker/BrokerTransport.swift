import HTTPClient

/// Sends one request to the broker. `HTTPClient` in the app; a fake broker in tests.
public protocol BrokerTransport: Sendable {
    func send(_ request: OutboundRequest) throws(OutboundError) -> OutboundResponse
}

extension HTTPClient: BrokerTransport {}

extension HTTPClient {
    /// The device app's client: `http` only to loopback hosts (a development broker, CONTRACT.md),
    /// `https` everywhere else, including a broker on a private network; link-local and other
    /// odd addresses never. Bounded connect and total times.
    public static func forDevice() -> HTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.policy = AddressPolicy(allowLoopback: true, allowPrivate: true, requireHTTPS: true)
        configuration.connectTimeout = 5
        configuration.totalTimeout = 20
        configuration.userAgent = "phisut-device/1"
        return HTTPClient(configuration: configuration)
    }
}
