import DeviceKit
import Foundation
import JOSE
import JSON
import Testing

@Suite("phisut-device listen")
struct ListenCommandTests {
    static func event(_ request: JSONValue) -> String {
        "event: request\nid: \(request["request_id"]?.stringValue ?? "")\ndata: \(request.serializedString())\n\n"
    }

    @Test("auto-approves streamed requests, reconnects after a drop with a fresh assertion, never answers one twice")
    func autoApprove() throws {
        let (directory, state, key) = try DeviceAppTests.enrolled()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = DecidingBroker.request("req_1", numberChallenge: true)
        let second = DecidingBroker.request("req_2", client: "Call Centre")
        let broker = DecidingBroker([first, second])
        let firstEvent = Self.event(first)
        let middle = firstEvent.index(firstEvent.startIndex, offsetBy: 30)
        let streams = ScriptedEventStreams([
            .pieces([":heartbeat\n\n", String(firstEvent[..<middle]), String(firstEvent[middle...]), ":heartbeat\n\n"]),
            .refuse(.streamDropped("connection refused")),
            // The broker repeats what is still pending (req_1 is decided by now) and then sends req_2.
            .pieces([Self.event(first) + Self.event(second)]),
        ])
        let sleeps = RecordedSleeps()
        let console = RecordingConsole()
        let app = DeviceAppTests.app(broker, streams: streams, sleeps: sleeps, console: console)
        let status = app.run(["listen", "--auto", "approve", "--number", "42", "--passcode", "123456", "--exit-after", "2",
                              "--state", state])
        #expect(status == 0, "\(console.promptText)")
        #expect(console.outputLines == ["approved req_1", "approved req_2"])
        #expect(broker.decided.map(\.id) == ["req_1", "req_2"])
        #expect(broker.decided.map { $0.payload["number"] } == ["42", nil])
        #expect(sleeps.delays == [1, 2], "backoff doubles while the broker is away")
        #expect(console.promptText.contains("Call Centre asks you to sign in"))

        #expect(streams.urls == Array(repeating: "https://id.example/device/v1/requests", count: 3))
        var jtis: Set<String> = []
        for headers in streams.opens {
            #expect(headers.contains { $0 == ("Accept", "text/event-stream") })
            let bearer = try #require(headers.first { $0.0 == "Authorization" }?.1)
            var validator = JWTClaimsValidator(issuer: "dev_1", audience: "https://id.example", now: 1_800_000_000)
            validator.maxLifetime = 300
            let claims = try JWT.verify(String(bearer.dropFirst("Bearer ".count)), allowed: [.es256], validator: validator) {
                _ throws(JOSEError) in key
            }
            jtis.insert(try #require(claims.claims["jti"]?.stringValue))
        }
        #expect(jtis.count == 3, "each connection carries its own assertion")
    }

    @Test("interactive: yes asks the passcode again before approving, no denies without it")
    func interactive() throws {
        let (directory, state, _) = try DeviceAppTests.enrolled()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = DecidingBroker([DecidingBroker.request("req_1", numberChallenge: true), DecidingBroker.request("req_2")])
        let streams = ScriptedEventStreams([.pieces([Self.event(DecidingBroker.request("req_1", numberChallenge: true)),
                                                     Self.event(DecidingBroker.request("req_2"))])])
        let console = RecordingConsole()
        let input = ScriptedInput(["123456", "yes", "123456", "42", "no"])
        let app = DeviceApp(input: input, console: console, transport: broker, environment: [:], now: { 1_800_000_000 },
                            kdf: cheapKDF, eventStreams: streams, sleep: { _ in })
        #expect(app.run(["listen", "--exit-after", "2", "--state", state]) == 0, "\(console.promptText)")
        #expect(console.outputLines == ["approved req_1", "denied req_2"])
        #expect(input.secretReads == 2, "unlock, then the passcode again for the approval only")
        #expect(input.remaining.isEmpty)
    }

    @Test("a wrong passcode at approval time approves nothing")
    func wrongPasscodeAtApproval() throws {
        let (directory, state, _) = try DeviceAppTests.enrolled()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = DecidingBroker([DecidingBroker.request("req_1")])
        let streams = ScriptedEventStreams([.pieces([Self.event(DecidingBroker.request("req_1"))])])
        let console = RecordingConsole()
        let app = DeviceAppTests.app(broker, streams: streams, input: ["123456", "yes", "000000", "000000", "000000"], console: console)
        #expect(app.run(["listen", "--exit-after", "1", "--state", state]) == 0)
        #expect(broker.decided.isEmpty)
        #expect(console.outputLines.isEmpty)
        #expect(console.promptText.contains("wrong passcode"))
    }

    @Test("a refused stream (revoked device) ends listen with status 1 and no retry")
    func refused() throws {
        let (directory, state, _) = try DeviceAppTests.enrolled()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let streams = ScriptedEventStreams([.refuse(.refused(status: 401, error: "invalid_token", description: "device revoked"))])
        let sleeps = RecordedSleeps()
        let console = RecordingConsole()
        let app = DeviceAppTests.app(DecidingBroker([]), streams: streams, sleeps: sleeps, console: console)
        #expect(app.run(["listen", "--passcode", "123456", "--state", state]) == 1)
        #expect(console.promptText.contains("invalid_token: device revoked"))
        #expect(sleeps.delays.isEmpty && streams.opens.count == 1)
    }

    @Test("a malformed event is skipped; the broker's retry sets the delay; a 503 is retried")
    func malformed() throws {
        let (directory, state, _) = try DeviceAppTests.enrolled()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = DecidingBroker([DecidingBroker.request("req_1")])
        let streams = ScriptedEventStreams([
            .pieces(["retry: 250\n\nevent: request\ndata: {not json\n\nevent: request\ndata: {\"no_id\":1}\n\n"]),
            .refuse(.refused(status: 503, error: "HTTP 503", description: nil)),
            .pieces([Self.event(DecidingBroker.request("req_1"))]),
        ])
        let sleeps = RecordedSleeps()
        let console = RecordingConsole()
        let app = DeviceAppTests.app(broker, streams: streams, sleeps: sleeps, console: console)
        #expect(app.run(["listen", "--auto", "deny", "--passcode", "123456", "--exit-after", "1", "--state", state]) == 0)
        #expect(console.outputLines == ["denied req_1"])
        #expect(sleeps.delays == [0.25, 0.5])
        #expect(console.promptText.contains("ignoring a malformed request event"))
    }
}
