import Broker
import HTTP
import JSON

extension BrokerRoutes {
    /// `POST /bc-authorize` (CIBA Core §7): parsed like `/token` (form body, duplicates refused,
    /// client credentials split off), answered with `auth_req_id`, `expires_in` and `interval`
    /// (§7.3) or the §13 error.
    func registerCIBA(on router: Router) {
        let broker = self.broker
        let log = self.log
        router.post("/bc-authorize") { request in
            Self.noStore(Self.clientAuthenticated(log) { () throws(OAuthError) in
                let form = try BackChannelForm(request)
                let answer = try broker.ciba.authenticate(BackchannelAuthenticationRequest(
                    parameters: form.parameters, credentials: form.credentials))
                return Responses.json(200, [
                    "auth_req_id": .string(answer.authReqID), "expires_in": .int(answer.expiresIn), "interval": .int(answer.interval),
                ])
            })
        }
    }

    /// The delivery queue of this broker, attached to its domain, auditing every outcome.
    static func makeDeliveries(for broker: Broker, configuration: DeliveriesConfiguration?,
                               log: @escaping @Sendable (String) -> Void) -> Deliveries {
        let outbound = broker.deliveries
        // The queue's outcome handler must not keep the broker's delivery hub alive: the hub
        // holds the queue.
        let deliveries = Deliveries(
            configuration: configuration ?? .for(developmentBroker: broker.configuration.isDevelopment), log: log
        ) { [weak outbound] delivery, outcome in
            outbound?.finished(delivery, delivered: outcome.delivered, attempts: outcome.attempts, detail: outcome.detail)
        }
        outbound.attach(deliveries)
        return deliveries
    }
}
