/// How the domain talks to upstream identity providers: one blocking request at a time, no
/// sockets in `Broker`. Implemented with `HTTPClient` outside the domain (BrokerHTTP's
/// `UpstreamHTTPClient`) and by fakes in tests.
///
/// An implementation must bound every call by `request.timeout` and must apply the broker's
/// outbound address policy; it returns any HTTP status as a response and throws only when no
/// response arrived.
public protocol UpstreamHTTP: Sendable {
    func send(_ request: UpstreamRequest) throws(UpstreamHTTPError) -> UpstreamResponse
}

/// One outbound request to an upstream identity provider.
public struct UpstreamRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Upper bound on the whole exchange, in seconds.
    public var timeout: Double

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8] = [], timeout: Double) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The `application/x-www-form-urlencoded` body, for the fakes of tests.
    public var formBody: [String: String] { FormEncoding.decode(String(decoding: body, as: UTF8.self)) }
}

/// An upstream's answer, whatever its status.
public struct UpstreamResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why no response arrived. The strings are diagnostics for logs and the audit, never shown.
public enum UpstreamHTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call took longer than its timeout.
    case timeout
    /// Refused by policy, unresolvable, connection refused or broken, TLS failure.
    case unreachable(String)

    public var description: String {
        switch self {
        case .timeout: "timed out"
        case .unreachable(let why): "unreachable: \(why)"
        }
    }
}
