import Broker
import HTTPClient

/// Fetches partner documents (`jwks_uri`, `sector_identifier_uri`) with the outbound client:
/// the address policy of the broker (loopback only on a development broker, CONTRACT.md),
/// short timeouts, a small response cap, no redirects.
public struct HTTPMetadataFetcher: MetadataFetcher {
    /// Largest document accepted: key sets and redirect lists are small.
    public static let maxResponseBytes = 256 * 1024
    let client: HTTPClient

    public init(developmentBroker: Bool) {
        var configuration = HTTPClientConfiguration()
        configuration.policy = developmentBroker ? .developmentLoopback : .production
        configuration.connectTimeout = 3
        configuration.totalTimeout = 5
        configuration.maxResponseBytes = Self.maxResponseBytes
        client = HTTPClient(configuration: configuration)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    public func fetch(_ url: String) throws -> [UInt8] {
        let response = try client.send(OutboundRequest(url: url, headers: [("Accept", "application/json")]))
        guard response.status == 200 else { throw Failure(description: "HTTP \(response.status)") }
        return response.body
    }
}
