import Broker
import HTTPClient

/// The domain's `UpstreamHTTP` on the outbound `HTTPClient`: the address policy of the broker
/// (loopback `http` only for a development broker), redirects not followed, each call bounded
/// by the request's timeout.
public struct UpstreamHTTPClient: UpstreamHTTP {
    let client: HTTPClient

    /// - Parameter developmentBroker: `BrokerConfiguration.isDevelopment`.
    public init(developmentBroker: Bool, connectTimeout: Double = 3) {
        var configuration = HTTPClientConfiguration()
        configuration.policy = developmentBroker ? .developmentLoopback : .production
        configuration.connectTimeout = connectTimeout
        configuration.followRedirects = false
        configuration.userAgent = "phisut-federation/1"
        client = HTTPClient(configuration: configuration)
    }

    public func send(_ request: UpstreamRequest) throws(UpstreamHTTPError) -> UpstreamResponse {
        do {
            let response = try client.send(OutboundRequest(
                method: request.method, url: request.url, headers: request.headers, body: request.body, timeout: request.timeout))
            return UpstreamResponse(status: response.status, headers: response.headers, body: response.body)
        } catch .timeout {
            throw .timeout
        } catch {
            throw .unreachable(error.description)
        }
    }
}
