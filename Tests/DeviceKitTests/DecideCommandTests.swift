import DeviceKit
import Foundation
import JOSE
import JSON
import Testing

@Suite("phisut-device approve / deny")
struct DecideCommandTests {
    @Test("bad approve/deny command lines exit 2 before anything is sent", arguments: [
        ["approve"], ["deny"], ["approve", "req_1", "req_2"], ["deny", "req_1", "--number", "42"],
        ["approve", "req_1", "--number", "4"], ["approve", "-x"], ["approve", "req_1", "--auto", "approve"],
        ["listen", "--auto", "maybe"], ["listen", "--exit-after", "0"], ["listen", "req_1"],
    ])
    func usage(_ arguments: [String]) throws {
        let (directory, state, _) = try DeviceAppTests.enrolled()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = DecidingBroker([DecidingBroker.request("req_1")])
        let console = RecordingConsole()
        let app = DeviceAppTests.app(broker, streams: ScriptedEventStreams([]), input: ["123456"], console: console)
        #expect(app.run(arguments + ["--state", state]) == 2, "\(console.promptText)")
        #expect(broker.requests.isEmpty)
    }

    @Test("approve with --passcode and --number posts a decision signed by the device key")
    func approve() throws {
        let (directory, state, key) = try DeviceAppTests.enrolled()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = DecidingBroker([DecidingBroker.request("req_1", numberChallenge: true)])
        let console = RecordingConsole()
        let app = DeviceAppTests.app(broker, streams: ScriptedEventStreams([]), console: console)
        #expect(app.run(["approve", "req_1", "--number", "42", "--passcode", "123456", "--state", state]) == 0, "\(console.promptText)")
        #expect(console.outputLines == ["approved req_1"])
        #expect(console.promptText.contains("Counter Desk asks you to sign in") && console.promptText.contains("message: Counter 3"))
        let post = try #require(broker.requests.last)
        #expect(post.url == "https://id.example/device/v1/requests/req_1/decision")
        let jws = try #require(post.jsonBody?["decision"]?.stringValue)
        let payload = try JSONValue(parsing: JWS.verify(jws, key: key).payload)
        #expect(payload == ["request_id": "req_1", "approve": true, "number": "42", "iat": 1_800_000_000])
    }

    @Test("deny takes the passcode from stdin and sends no number")
    func deny() throws {
        let (directory, state, _) = try DeviceAppTests.enrolled()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = DecidingBroker([DecidingBroker.request("req_1", numberChallenge: true)])
        let console = RecordingConsole()
        let input = ScriptedInput(["123456"])
        let app = DeviceApp(input: input, console: console, transport: broker, environment: [:], now: { 1_800_000_000 },
                            kdf: cheapKDF, eventStreams: ScriptedEventStreams([]), sleep: { _ in })
        #expect(app.run(["deny", "req_1", "--state", state]) == 0, "\(console.promptText)")
        #expect(console.outputLines == ["denied req_1"])
        #expect(input.secretReads == 1)
        #expect(broker.decided.map(\.payload) == [["request_id": "req_1", "approve": false, "iat": 1_800_000_000]])
    }

    @Test("a typed wrong number is asked again; the right one approves")
    func typedNumber() throws {
        let (directory, state, _) = try DeviceAppTests.enrolled()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = DecidingBroker([DecidingBroker.request("req_1", numberChallenge: true)])
        let console = RecordingConsole()
        let app = DeviceAppTests.app(broker, streams: ScriptedEventStreams([]), input: ["123456", "17", "42"], console: console)
        #expect(app.run(["approve", "req_1", "--state", state]) == 0, "\(console.promptText)")
        #expect(console.promptText.contains("wrong number"))
        #expect(broker.decided.map { $0.payload["number"] } == ["42"])
    }

    @Test("a wrong --number fails at once; an unknown request posts nothing", arguments: [
        (["approve", "req_1", "--number", "17"], 1), (["approve", "req_9", "--number", "42"], 0),
    ])
    func refusals(_ arguments: [String], _ posts: Int) throws {
        let (directory, state, _) = try DeviceAppTests.enrolled()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = DecidingBroker([DecidingBroker.request("req_1", numberChallenge: true)])
        let console = RecordingConsole()
        let app = DeviceAppTests.app(broker, streams: ScriptedEventStreams([]), console: console)
        #expect(app.run(arguments + ["--passcode", "123456", "--state", state]) == 1)
        #expect(console.outputLines.isEmpty)
        #expect(broker.requests.filter { $0.method == "POST" }.count == posts)
        #expect(broker.decided.isEmpty)
    }
}
