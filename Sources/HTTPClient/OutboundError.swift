/// Why an outbound request was refused or failed. Associated strings are diagnostics for logs,
/// never meant for a partner.
public enum OutboundError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not an absolute http(s) URL, or a request that cannot be put on the wire (bad method or header).
    case invalidURL(String)
    /// The host is, or resolves to, an address the ``AddressPolicy`` refuses.
    case forbiddenAddress(String)
    /// Plain `http` where the policy requires `https`.
    case insecureScheme
    case resolveFailed(String)
    case connectFailed(String)
    /// The connect or total timeout expired.
    case timeout
    /// The body went past ``HTTPClientConfiguration/maxResponseBytes``; the transfer was aborted.
    case responseTooLarge
    /// TLS handshake or certificate verification failed.
    case tls(String)
    case transport(String)

    public var description: String {
        switch self {
        case .invalidURL(let why): "invalid URL: \(why)"
        case .forbiddenAddress(let why): "forbidden address: \(why)"
        case .insecureScheme: "insecure scheme: https is required"
        case .resolveFailed(let why): "could not resolve: \(why)"
        case .connectFailed(let why): "could not connect: \(why)"
        case .timeout: "timed out"
        case .responseTooLarge: "response body too large"
        case .tls(let why): "TLS failure: \(why)"
        case .transport(let why): "transport failure: \(why)"
        }
    }
}
