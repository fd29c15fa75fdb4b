/// Settings shared by every request of one ``HTTPClient``. Times are in seconds.
public struct HTTPClientConfiguration: Sendable {
    /// Upper bound on establishing the TCP (and TLS) connection.
    public var connectTimeout: Double = 5
    /// Upper bound on the whole transfer, unless the request gives its own.
    public var totalTimeout: Double = 10
    /// Bodies larger than this abort the transfer with ``OutboundError/responseTooLarge``.
    public var maxResponseBytes = 1 << 20
    /// When true, up to five 301/302/303/307/308 hops are followed, each hop's URL checked against
    /// the policy again (libcurl's own FOLLOWLOCATION stays off, it would skip that check).
    public var followRedirects = false
    public var policy = AddressPolicy.production
    public var userAgent = "phisut/1"

    public init() {}
}
