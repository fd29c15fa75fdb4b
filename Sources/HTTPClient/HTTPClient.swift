// HTTPClient: Phisut's outbound HTTP client on libcurl — CIBA ping notifications, device push
// gateways, upstream IdP discovery/JWKS/token calls, jwks_uri and sector_identifier_uri fetches.
//
// Address policy, and why we resolve names ourselves: most of these URLs come from partners
// (client registrations, upstream metadata). Left alone, a URL such as
// `https://metadata.partner.example/` that resolves to 169.254.169.254 or 10.0.0.5 would make the
// broker fetch from its own network (SSRF). So every host is resolved here with getaddrinfo and
// EVERY address is classified — one bad address refuses the URL, since libcurl may try any of
// them. The checked addresses are then pinned into libcurl with CURLOPT_RESOLVE: libcurl never
// asks DNS again, so a name that answers with a public address for our check and a private one
// a moment later (DNS rebinding) cannot slip through. As a second line of defence the socket
// callback refuses to open a socket to any address outside the checked set, and proxies from
// the environment are disabled. Redirects are never followed by libcurl; when enabled they are
// followed here, each hop checked like a first request. See `AddressPolicy` for the knobs.

import CCurl

/// libcurl's process-wide initialisation, run exactly once (Swift globals initialise lazily
/// under `swift_once`) before the first easy handle exists.
private let curlGlobalInit: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

/// A blocking, thread-safe HTTP/1.1 and HTTP/2 client for partner-given URLs.
///
/// Any number of threads may call ``send(_:)`` at once. Each call blocks its thread until the
/// response is complete or fails; run it on a worker thread or queue. TLS peer and host
/// verification are always on; only `http` and `https` are spoken; redirects are returned as-is
/// unless ``HTTPClientConfiguration/followRedirects`` is set.
public final class HTTPClient: Sendable {
    /// Fixed for the client's lifetime; make another client for other settings.
    public let configuration: HTTPClientConfiguration
    private let pool: EasyHandlePool
    private let ready: Bool

    static let maximumRedirects = 5

    public init(configuration: HTTPClientConfiguration = .init()) {
        self.configuration = configuration
        self.pool = EasyHandlePool(capacity: 8)
        self.ready = curlGlobalInit
    }

    /// Sends `request` and returns the response, whatever its status.
    ///
    /// Throws before sending anything if the URL is malformed, not http(s), refused by the
    /// policy, or the method or a header cannot be put on the wire safely.
    public func send(_ request: OutboundRequest) throws(OutboundError) -> OutboundResponse {
        guard ready else { throw .transport("curl_global_init failed") }
        var current = request
        var previous: Destination?
        var hops = 0
        while true {
            try Self.validate(current)
            let destination = try destination(for: current.url)
            if let previous, !previous.url.sameOrigin(as: destination.url) {
                current.headers.removeAll { Self.credentialHeaders.contains($0.0.lowercased()) }
            }
            let (response, location) = try transfer(current, to: destination)
            guard configuration.followRedirects, Self.redirectStatuses.contains(response.status), let location else {
                return response
            }
            hops += 1
            guard hops <= Self.maximumRedirects else { throw .transport("more than \(Self.maximumRedirects) redirects") }
            current = Self.redirected(current, status: response.status, to: location)
            previous = destination
        }
    }

    /// One hop on a pooled handle; the handle goes back to the pool even after a failure, since
    /// libcurl has already closed whatever connection the failure concerned.
    private func transfer(_ request: OutboundRequest, to destination: Destination) throws(OutboundError)
        -> (OutboundResponse, String?)
    {
        guard let easy = pool.take() else { throw .transport("curl_easy_init failed") }
        defer { pool.give(easy) }
        return try easy.perform(request, to: destination, configuration: configuration)
    }

    /// Checks a partner-given URL against the policy without fetching (used when registering
    /// clients): it must parse, be http(s) as the policy demands, and every address its host
    /// resolves to must be permitted. Resolves the name, so it may block on DNS.
    public func checkURL(_ url: String) throws(OutboundError) {
        _ = try destination(for: url)
    }

    func destination(for url: String) throws(OutboundError) -> Destination {
        let policy = configuration.policy
        let parsed = try CurlURL(url)
        try policy.checkSchemeEarly(parsed.scheme)
        let addresses = try Resolver.resolve(parsed.host)
        try policy.check(scheme: parsed.scheme, host: parsed.host, addresses: addresses)
        return Destination(url: parsed, addresses: addresses)
    }
}
