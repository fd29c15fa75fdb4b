import Foundation
@testable import HTTP
import JOSE
import JSON
import Storage
import Testing
@testable import Broker
@testable import BrokerHTTP

/// `/bc-authorize`, the CIBA grant at `/token`, pings to a loopback notification endpoint and
/// pushes to a loopback gateway, over both transports; the delivery queue's schedule on a
/// fixed clock.
@Suite("CIBA endpoints and deliveries")
struct CIBAEndpointTests {
    /// Fast retries so that bounded-retry tests finish quickly: 3 tries, 20 ms then 40 ms apart.
    static func fastDeliveries(timeout: Double = 2) -> DeliveriesConfiguration {
        var configuration = DeliveriesConfiguration.for(developmentBroker: true)
        configuration.maxAttempts = 3
        configuration.initialBackoff = 0.02
        configuration.totalTimeout = timeout
        configuration.connectTimeout = 1
        return configuration
    }

    /// A broker with a ping-mode client notifying `endpoint`, and citizen A's enrolled phone
    /// (with `pushURL`, when given).
    struct Setup {
        let app: TestApp
        let driver: LoginDriver
        let device: TestDevice

        init(_ transport: Transport, endpoint: String, pushURL: String? = nil, deliveries: DeliveriesConfiguration = fastDeliveries(),
             configure: (inout BrokerConfiguration) -> Void = { _ in }) throws {
            app = try TestApp(transport, configure: configure, deliveries: deliveries)
            app.broker.clients.add(try app.broker.configuration.clientValidator.validateFile([
                "client_id": "desk", "client_name": "Counter Desk", "token_endpoint_auth_method": "client_secret_basic",
                "client_secret": "desk-secret", "grant_types": [.string(CIBA.grantType)], "backchannel_token_delivery_mode": "ping",
                "backchannel_client_notification_endpoint": .string(endpoint), "id_token_signed_response_alg": "ES256",
            ]))
            driver = LoginDriver(app)
            device = try driver.enroll(Citizens.a)
            if let pushURL {
                try app.broker.store.update(DeviceRecord.self, id: device.deviceID) { $0.pushURL = pushURL }
            }
        }

        static let basic = "Basic " + Data("desk:desk-secret".utf8).base64EncodedString()

        func post(_ path: String, _ form: [(String, String)], authorization: String? = basic) throws -> Reply {
            var headers = [("Content-Type", "application/x-www-form-urlencoded")]
            if let authorization { headers.append(("Authorization", authorization)) }
            return try app.request("POST", path, headers: headers, body: Array(FormEncoding.query(form).utf8))
        }

        func start(binding: String = "Desk 4") throws -> Reply {
            try post("/bc-authorize", [("scope", "openid profile"), ("login_hint", Citizens.a), ("binding_message", binding),
                                       ("client_notification_token", "notify-8d2f1c")])
        }

        func poll(_ authReqID: String) throws -> Reply {
            try post("/token", [("grant_type", CIBA.grantType), ("auth_req_id", authReqID)])
        }

        /// The phone finds the request and decides it.
        func decide(approve: Bool) throws -> JSONValue {
            let pending = try driver.pendingRequests(device).json["requests"]?.arrayValue ?? []
            let request = try #require(pending.last)
            let id = try #require(request["request_id"]?.stringValue)
            let reply = try driver.decide(device, requestID: id, approve: approve, number: nil)
            #expect(reply.status == 200, "\(reply.text)")
            return request
        }

        func audit() throws -> [AuditEvent] { try app.broker.store.audit(citizenID: nil, limit: 200, beforeSequence: nil) }
    }

    @Test("ping flow: /bc-authorize, the phone approves, the ping arrives, the RP fetches tokens once", arguments: Transport.allCases)
    func pingFlow(_ transport: Transport) throws {
        let receiver = try NotificationReceiver(.accept)
        let s = try Setup(transport, endpoint: receiver.url("/ciba/notify"))
        let started = try s.start()
        #expect(started.status == 200, "\(started.text)")
        #expect(started.header("Cache-Control") == "no-store")
        let authReqID = try #require(started.json["auth_req_id"]?.stringValue)
        #expect(started.json["expires_in"]?.intValue == 120)
        #expect(started.json["interval"]?.intValue == 5)

        let pending = try s.poll(authReqID)
        #expect(pending.status == 400)
        #expect(pending.json["error"]?.stringValue == "authorization_pending")

        let shown = try s.decide(approve: true)
        #expect(shown["client_name"]?.stringValue == "Counter Desk")
        #expect(shown["binding_message"]?.stringValue == "Desk 4")
        #expect(shown["number_challenge"]?.boolValue == false)
        #expect(s.app.routes.deliveries.waitUntilIdle(timeout: 30))
        let ping = try #require(receiver.requests.first)
        #expect(receiver.requests.count == 1)
        #expect(ping.path == "/ciba/notify")
        #expect(ping.authorization == "Bearer notify-8d2f1c")
        #expect(try JSONValue(parsing: ping.body) == ["auth_req_id": .string(authReqID)])
        #expect(try s.audit().contains { $0.action == "ciba.ping_delivered" })

        let tokens = try s.poll(authReqID)
        #expect(tokens.status == 200, "\(tokens.text)")
        #expect(tokens.json["id_token"]?.stringValue != nil)
        #expect(tokens.json["token_type"]?.stringValue == "Bearer")
        let again = try s.poll(authReqID)
        #expect(again.status == 400)
        #expect(again.json["error"]?.stringValue == "invalid_grant")
    }

    enum BrokenEndpoint: String, CaseIterable, CustomStringConvertible, Sendable {
        case down, answers500, slow
        var description: String { rawValue }
    }

    @Test("a notification endpoint that is down, answers 500 or is too slow: tries are bounded and the RP can still poll",
          arguments: BrokenEndpoint.allCases)
    func brokenEndpoint(_ broken: BrokenEndpoint) throws {
        let receiver: NotificationReceiver? = switch broken {
        case .down: nil
        case .answers500: try NotificationReceiver(.fail500)
        case .slow: try NotificationReceiver(.slow(seconds: 1.5))
        }
        let endpoint = receiver?.url("/ciba/notify") ?? "http://127.0.0.1:9/ciba/notify"
        let s = try Setup(.inProcess, endpoint: endpoint, deliveries: Self.fastDeliveries(timeout: 0.3))
        let authReqID = try #require(try s.start().json["auth_req_id"]?.stringValue)
        _ = try s.decide(approve: true)
        #expect(s.app.routes.deliveries.waitUntilIdle(timeout: 60))
        let counters = s.app.routes.deliveries.counters
        #expect(counters.attempts == 3, "maxAttempts, no more")
        #expect(counters.failed == 1)
        #expect(counters.delivered == 0)
        if let receiver { #expect(receiver.requests.count == 3) }
        #expect(try s.audit().contains { $0.action == "ciba.ping_failed" && $0.detail.contains("after 3 attempt(s)") })
        let tokens = try s.poll(authReqID)
        #expect(tokens.status == 200, "nothing lost: \(tokens.text)")
    }

    @Test("a push gateway that is down loses nothing: the request is still listed for the device", arguments: Transport.allCases)
    func pushGatewayDown(_ transport: Transport) throws {
        let gateway = try NotificationReceiver(.accept)
        let s = try Setup(transport, endpoint: gateway.url("/ciba/notify"), pushURL: "http://127.0.0.1:9/push/a")
        #expect(try s.start().status == 200)
        #expect(s.app.routes.deliveries.waitUntilIdle(timeout: 30))
        #expect(try s.audit().contains { $0.action == "device.push_failed" })
        let listed = try s.driver.pendingRequests(s.device).json["requests"]?.arrayValue ?? []
        #expect(listed.count == 1)
        #expect(listed.first?["binding_message"]?.stringValue == "Desk 4")
    }

    @Test("a push gateway that works gets only {type: approval_request}")
    func pushSignal() throws {
        let gateway = try NotificationReceiver(.accept)
        let s = try Setup(.live, endpoint: gateway.url("/ciba/notify"), pushURL: gateway.url("/push/a"))
        #expect(try s.start().status == 200)
        #expect(s.app.routes.deliveries.waitUntilIdle(timeout: 30))
        let push = try #require(gateway.requests.first)
        #expect(push.path == "/push/a")
        #expect(push.authorization == nil)
        #expect(try JSONValue(parsing: push.body) == ["type": "approval_request"])
    }

    @Test("an SSE client that disconnects mid-stream leaves the hub; later requests are still listed")
    func sseDisconnect() throws {
        let receiver = try NotificationReceiver(.accept)
        let s = try Setup(.inProcess, endpoint: receiver.url("/ciba/notify"))
        let response = s.app.router.handle(HTTPRequest(
            method: "GET", path: "/device/v1/requests",
            headers: HTTPHeaders([("Accept", "text/event-stream"), ("Authorization", "Bearer \(try s.driver.assertion(s.device))")])))
        guard case .stream(let stream) = response.body else {
            Issue.record("not a stream")
            return
        }
        stream.configure?(stream)
        #expect(try s.start(binding: "first").status == 200)
        #expect(String(decoding: stream.drain().bytes, as: UTF8.self).contains("first"))
        stream.close()   // the phone went away mid-stream
        #expect(s.app.routes.approvalStreams.streamCount(citizenID: Citizens.a) == 0)
        #expect(try s.start(binding: "second").status == 200)
        let listed = try s.driver.pendingRequests(s.device).json["requests"]?.arrayValue ?? []
        #expect(Set(listed.compactMap { $0["binding_message"]?.stringValue }) == ["first", "second"])
    }

    @Test("the hourly cap: /bc-authorize answers 429 slow_down", arguments: Transport.allCases)
    func hourlyCap(_ transport: Transport) throws {
        let receiver = try NotificationReceiver(.accept)
        let s = try Setup(transport, endpoint: receiver.url("/ciba/notify")) { $0.maxApprovalsPerHour = 2 }
        for _ in 1...2 {
            #expect(try s.start().status == 200)
            _ = try s.decide(approve: false)
        }
        let refused = try s.start()
        #expect(refused.status == 429)
        #expect(refused.json["error"]?.stringValue == "slow_down")
        #expect(refused.json["error_description"]?.stringValue?.contains("last hour") == true)
    }

    @Test("client authentication as at /token: a wrong secret is 401 with a Basic challenge; CIBA errors are JSON",
          arguments: Transport.allCases)
    func errors(_ transport: Transport) throws {
        let s = try Setup(transport, endpoint: "http://127.0.0.1:9/ciba/notify")
        let wrong = try s.post("/bc-authorize", [("scope", "openid"), ("login_hint", Citizens.a)],
                               authorization: "Basic " + Data("desk:nope".utf8).base64EncodedString())
        #expect(wrong.status == 401)
        #expect(wrong.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
        let unknown = try s.post("/bc-authorize", [("scope", "openid"), ("login_hint", Citizens.b), ("client_notification_token", "t")])
        #expect(unknown.status == 400)
        #expect(unknown.json["error"]?.stringValue == "unknown_user_id")
        let repeated = try s.post("/bc-authorize", [("scope", "openid"), ("scope", "openid"), ("login_hint", Citizens.a)])
        #expect(repeated.json["error"]?.stringValue == "invalid_request")
        let binding = try s.post("/bc-authorize", [("scope", "openid"), ("login_hint", Citizens.a), ("client_notification_token", "t"),
                                                   ("binding_message", String(repeating: "x", count: 65))])
        #expect(binding.json["error"]?.stringValue == "invalid_binding_message")
    }

    // MARK: The delivery schedule

    @Test("the delivery schedule: due order, exponential backoff, bounded tries, a full queue refuses")
    func schedule() {
        var schedule = DeliverySchedule<String>(capacity: 2, maxAttempts: 3, initialBackoff: 1)
        let added = [schedule.add("a", now: 10), schedule.add("b", now: 10), schedule.add("c", now: 10)]
        #expect(added == [true, true, false], "the third is refused: full")
        guard case .send(let first) = schedule.next(now: 10) else { Issue.record("expected a"); return }
        #expect(first.item == "a")
        let firstRetry = schedule.retry(first, now: 11)
        #expect(firstRetry == 12, "1 s after the first try")
        guard case .send(let second) = schedule.next(now: 11) else { Issue.record("expected b"); return }
        #expect(second.item == "b")
        guard case .wait(let until) = schedule.next(now: 11) else { Issue.record("expected a wait"); return }
        #expect(until == 12)
        guard case .send(let retried) = schedule.next(now: 12) else { Issue.record("expected a again"); return }
        #expect(retried.attempts == 1)
        let secondRetry = schedule.retry(retried, now: 12)
        #expect(secondRetry == 14, "2 s after the second try")
        guard case .send(let third) = schedule.next(now: 14) else { Issue.record("expected a a third time"); return }
        let thirdRetry = schedule.retry(third, now: 14)
        #expect(thirdRetry == nil, "three tries, no more")
        guard case .idle = schedule.next(now: 100) else { Issue.record("expected idle"); return }
        #expect(schedule.backoff(afterAttempt: 4) == 8)
    }
}
