import DeviceKit
import Foundation
import HTTPClient
import JOSE
import JSON

/// A broker with pending requests: lists them, takes decisions and records them. Requests with
/// a number challenge want `number`; a wrong one is `400 wrong_number`; a decided request
/// disappears from the list and a second decision is 409.
final class DecidingBroker: BrokerTransport, @unchecked Sendable {
    // @unchecked: every field is behind `lock`; `BrokerTransport` is Sendable.
    private let lock = NSLock()
    private var pending: [String: JSONValue]
    private var order: [String]
    private var log: [OutboundRequest] = []
    private(set) var decisions: [(id: String, payload: JSONValue)] = []
    let number: String

    init(_ requests: [JSONValue], number: String = "42") {
        self.pending = Dictionary(uniqueKeysWithValues: requests.map { ($0["request_id"]?.stringValue ?? "", $0) })
        self.order = requests.compactMap { $0["request_id"]?.stringValue }
        self.number = number
    }

    static func request(_ id: String, client: String = "Counter Desk", numberChallenge: Bool = false) -> JSONValue {
        ["request_id": .string(id), "client_name": .string(client), "scopes": ["openid", "profile"], "claims": ["name"],
         "binding_message": "Counter 3", "number_challenge": .bool(numberChallenge), "expires_at": 1_800_000_300]
    }

    var requests: [OutboundRequest] { lock.withLock { log } }
    var decided: [(id: String, payload: JSONValue)] { lock.withLock { decisions } }

    func send(_ request: OutboundRequest) throws(OutboundError) -> OutboundResponse {
        lock.withLock {
            log.append(request)
            if request.method == "GET", request.url.hasSuffix("/device/v1/requests") {
                return FakeBroker.json(200, ["requests": .array(order.compactMap { pending[$0] })])
            }
            let prefix = "https://id.example/device/v1/requests/"
            guard request.method == "POST", request.url.hasPrefix(prefix), request.url.hasSuffix("/decision"),
                  let jws = request.jsonBody?["decision"]?.stringValue,
                  let payload = try? JSONValue(parsing: JWS.decodeUnverified(jws).payload)
            else { return FakeBroker.json(400, ["error": "invalid_request"]) }
            let id = String(request.url.dropFirst(prefix.count).dropLast("/decision".count))
            guard let entry = pending[id] else { return FakeBroker.json(409, ["error": "already_decided"]) }
            let approve = payload["approve"]?.boolValue ?? false
            if approve, entry["number_challenge"]?.boolValue == true, payload["number"]?.stringValue != number {
                return FakeBroker.json(400, ["error": "wrong_number"])
            }
            pending[id] = nil
            decisions.append((id, payload))
            return FakeBroker.json(200, ["status": .string(approve ? "approved" : "denied")])
        }
    }
}

/// Event streams from a script: each `open` takes the next connection, which either refuses
/// or hands out its pieces one read at a time and then ends (closed by the broker).
final class ScriptedEventStreams: EventStreamTransport, @unchecked Sendable {
    // @unchecked: fields behind `lock`; `EventStreamTransport` is Sendable.
    enum Connection {
        case refuse(DeviceError)
        case pieces([String])
    }

    private let lock = NSLock()
    private var script: [Connection]
    private var openedHeaders: [[(String, String)]] = []
    private var openedURLs: [String] = []

    init(_ script: [Connection]) { self.script = script }

    var opens: [[(String, String)]] { lock.withLock { openedHeaders } }
    var urls: [String] { lock.withLock { openedURLs } }

    func open(url: String, headers: [(String, String)]) throws(DeviceError) -> any EventStreamConnection {
        let next: Connection? = lock.withLock {
            openedHeaders.append(headers)
            openedURLs.append(url)
            return script.isEmpty ? nil : script.removeFirst()
        }
        switch next {
        case nil: throw .refused(status: 401, error: "invalid_token", description: "script ended")
        case .refuse(let error)?: throw error
        case .pieces(let pieces)?: return Pieces(pieces.map { Array($0.utf8) })
        }
    }

    final class Pieces: EventStreamConnection {
        private var pieces: [[UInt8]]
        init(_ pieces: [[UInt8]]) { self.pieces = pieces }
        func read() throws(DeviceError) -> [UInt8] { pieces.isEmpty ? [] : pieces.removeFirst() }
    }
}

/// Delays asked of `DeviceApp.sleep`, recorded instead of waited.
final class RecordedSleeps: @unchecked Sendable {
    // @unchecked: only touched from the test's own thread.
    var delays: [Double] = []
}

extension DeviceAppTests {
    /// A state file with one enrolled device (`dev_1`, passcode 123456) in a fresh directory;
    /// returns the directory, the state path and the device's public key.
    static func enrolled() throws -> (directory: String, state: String, key: JWK) {
        let directory = try temporaryDirectory()
        let state = directory + "/s.json"
        let broker = FakeBroker.accepting()
        let status = app(broker).run(["enroll", "--qr", qr, "--citizen-id", citizen, "--accept-terms", "--passcode", "123456",
                                      "--state", state])
        guard status == 0, let keyJSON = broker.requests.last?.jsonBody?["device_key"] else {
            throw DeviceError.stateFile("test enrollment failed")
        }
        return (directory, state, try JWK(json: keyJSON))
    }

    static func app(_ broker: any BrokerTransport, streams: ScriptedEventStreams, sleeps: RecordedSleeps = RecordedSleeps(),
                    input: [String] = [], console: RecordingConsole) -> DeviceApp {
        DeviceApp(input: ScriptedInput(input), console: console, transport: broker, environment: [:],
                  now: { 1_800_000_000 }, kdf: cheapKDF, eventStreams: streams, sleep: { sleeps.delays.append($0) })
    }
}
