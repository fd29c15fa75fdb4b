/// One outbound HTTP request.
///
/// `url` must be an absolute `http` or `https` URL; it is checked against the client's
/// ``AddressPolicy`` before anything is sent. `timeout` (seconds) bounds the whole transfer and
/// overrides ``HTTPClientConfiguration/totalTimeout`` for this request only.
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: String
    /// Extra request headers, sent in order. Names and values must not contain CR, LF or NUL.
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Total timeout in seconds; `nil` uses the configuration's.
    public var timeout: Double?

    public init(
        method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8] = [],
        timeout: Double? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
