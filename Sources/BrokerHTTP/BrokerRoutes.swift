import Broker
import Foundation
import HTTP
import JOSE
import JSON

/// Maps HTTP requests onto the broker's domain calls and back. Decides no policy: every check
/// lives in `Broker`; this layer parses, calls, and renders.
public final class BrokerRoutes: Sendable {
    let broker: Broker
    let log: @Sendable (String) -> Void
    let desk: DeskSessions
    // front channel
    let approvalStreams = ApprovalStreamHub()
    let loginForms: FormGuard
    // ciba
    /// Outbound CIBA pings and device pushes.
    public let deliveries: Deliveries
    // end ciba

    /// - Parameter deliveries: (ciba) the delivery queue's settings; nil takes the defaults, with
    ///   the address policy of the broker (loopback only on a development broker).
    public init(broker: Broker, log: @escaping @Sendable (String) -> Void, deliveries: DeliveriesConfiguration? = nil) {
        // ciba
        self.deliveries = Self.makeDeliveries(for: broker, configuration: deliveries, log: log)
        // end ciba
        self.broker = broker
        self.log = log
        self.desk = DeskSessions(secureCookies: !broker.configuration.isDevelopment)
        // front channel: the login pages' MAC key is kept in the store, so in-flight logins
        // survive a restart and every broker process sharing the store accepts the same cookies.
        let formKey = (try? broker.store.setting("login_form_key") { Base64URL.encode(Crypto.randomBytes(32)) })
            .flatMap { try? Base64URL.decode($0) } ?? Crypto.randomBytes(32)
        self.loginForms = FormGuard(secret: formKey)
        broker.approvals.notifications.subscribe(approvalStreams)
    }

    /// Adds every endpoint of the broker to `router`.
    public func register(on router: Router) {
        registerDiscovery(on: router)
        registerOfficerAPI(on: router)
        registerDeviceAPI(on: router)
        registerOfficerDesk(on: router)
        registerFrontChannel(on: router)
        registerBackChannel(on: router)
        // ciba
        registerCIBA(on: router)
        // end ciba
    }

    /// Wraps a handler so that any thrown error becomes the standard JSON error.
    func api(_ body: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) -> HTTPHandlerFunction {
        { [log] request in
            do {
                return try body(request)
            } catch {
                return Responses.error(error, log: log)
            }
        }
    }
}
