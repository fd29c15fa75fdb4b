import HTTPClient

/// Settings of the outbound delivery queue (CIBA pings, device pushes). Times in seconds.
public struct DeliveriesConfiguration: Sendable {
    /// Threads that send; never the event loops' or the request workers'.
    public var workers = 2
    /// Deliveries that may wait at once; beyond it new ones are refused, counted and logged.
    public var capacity = 1_024
    /// Tries per delivery: 1 s, 2 s, 4 s, 8 s apart with the default backoff.
    public var maxAttempts = 5
    public var initialBackoff = 1.0
    public var connectTimeout = 2.0
    /// The whole of one try: a slow endpoint cannot hold a worker longer.
    public var totalTimeout = 5.0
    /// Which addresses partner URLs may reach: `.developmentLoopback` on a development broker,
    /// `.production` otherwise.
    public var policy = AddressPolicy.production

    public init() {}

    /// The settings for a broker: loopback allowed only on a development broker.
    public static func `for`(developmentBroker: Bool) -> DeliveriesConfiguration {
        var configuration = DeliveriesConfiguration()
        configuration.policy = developmentBroker ? .developmentLoopback : .production
        return configuration
    }
}
