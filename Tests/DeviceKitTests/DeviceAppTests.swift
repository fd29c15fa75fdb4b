import DeviceKit
import Foundation
import HTTPClient
import JOSE
import JSON
import Testing

@Suite("phisut-device commands against an in-memory broker")
struct DeviceAppTests {
    static let qr = "phisut://enroll?iss=https%3A%2F%2Fid.example&code=code-1"
    static let citizen = "1101700207030"

    static func app(_ broker: FakeBroker, input: [String] = [], console: RecordingConsole = RecordingConsole()) -> DeviceApp {
        DeviceApp(input: ScriptedInput(input), console: console, transport: broker, environment: [:],
                  now: { 1_800_000_000 }, kdf: cheapKDF)
    }

    @Test("non-interactive enroll: flags only, last stdout line names the device")
    func enrollFromFlags() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = FakeBroker.accepting()
        let console = RecordingConsole()
        let status = Self.app(broker, console: console).run([
            "enroll", "--qr", Self.qr, "--citizen-id", Self.citizen, "--accept-terms", "--passcode", "123456",
            "--state", directory + "/state.json", "--device-name", "test phone", "--push-url", "https://push.example/x",
        ])
        #expect(status == 0, "\(console.promptText)")
        #expect(console.outputLines.last == "enrolled device dev_1")
        #expect(!console.promptText.contains(Self.citizen) && console.promptText.contains("*********7030"))

        let requests = broker.requests
        #expect(requests.map(\.method) == ["GET", "POST"])
        #expect(requests[0].url == "https://id.example/device/v1/terms")
        #expect(requests[1].url == "https://id.example/device/v1/enroll")
        let body = try #require(requests[1].jsonBody)
        #expect(body["enrollment_code"] == "code-1" && body["citizen_id"] == .string(Self.citizen))
        #expect(body["terms_version"] == "2026-01" && body["device_name"] == "test phone")
        #expect(body["push_url"] == "https://push.example/x")
        let deviceKey = try JWK(json: try #require(body["device_key"]))
        #expect(!deviceKey.isPrivate && deviceKey.keyType == .ec)
        let proof = try JWS.verify(try #require(body["proof"]?.stringValue), key: deviceKey)
        #expect(try JSONValue(parsing: proof.payload)["citizen_id"] == .string(Self.citizen))

        let state = try StateFile(path: directory + "/state.json").load()
        #expect(state.enrollments.map(\.deviceID) == ["dev_1"])
        #expect(state.enrollments[0].issuer == "https://id.example" && state.enrollments[0].status == .active)
    }

    @Test("interactive enroll from scripted stdin, with a wrong citizen ID and a passcode mismatch on the way")
    func enrollScripted() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let console = RecordingConsole()
        let input = ["1101700207031", Self.citizen, "yes", "123456", "111111", "123456", "123456", "123456"]
        let status = Self.app(.accepting(), input: input, console: console).run([
            "enroll", "--qr", Self.qr, "--key-type", "ed25519", "--state", directory + "/s.json",
        ])
        #expect(status == 0, "\(console.promptText)")
        #expect(console.outputLines == ["enrolled device dev_1"])
        #expect(console.promptText.contains("ข้อตกลง") && console.promptText.contains("Terms"))
        #expect(console.promptText.contains("invalid citizen ID") && console.promptText.contains("do not match"))
        #expect(try StateFile(path: directory + "/s.json").load().enrollments[0].algorithm == .edDSA)
    }

    @Test("declined terms: exit non-zero, nothing posted, no state file")
    func termsDeclined() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = FakeBroker.accepting()
        let console = RecordingConsole()
        let status = Self.app(broker, input: ["no"], console: console).run([
            "enroll", "--qr", Self.qr, "--citizen-id", Self.citizen, "--passcode", "123456", "--state", directory + "/s.json",
        ])
        #expect(status != 0)
        #expect(broker.requests.map(\.method) == ["GET"])
        #expect(!FileManager.default.fileExists(atPath: directory + "/s.json"))
        #expect(console.outputLines.isEmpty)
    }

    @Test("refusals print the broker's error on one stderr line and leave no state file", arguments: [
        ("invalid_enrollment_code", "the enrollment code is unknown, used or expired"),
        ("citizen_mismatch", "the citizen ID does not match\nthe one the officer checked"),
    ])
    func refused(_ code: String, _ description: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = FakeBroker { request in
            request.method == "GET" ? FakeBroker.json(200, FakeBroker.terms)
                : FakeBroker.json(400, ["error": .string(code), "error_description": .string(description)])
        }
        let console = RecordingConsole()
        let status = Self.app(broker, console: console).run([
            "enroll", "--qr", Self.qr, "--citizen-id", Self.citizen, "--accept-terms", "--passcode", "123456",
            "--state", directory + "/s.json",
        ])
        #expect(status == 1)
        #expect(console.outputLines.isEmpty)
        let errorLines = console.promptText.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errorLines.count == 1)
        #expect(errorLines.first?.contains(code) == true && errorLines.first?.contains("the citizen ID") == (code == "citizen_mismatch"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test("a bad QR code or citizen ID fails before anything is sent", arguments: [
        ["--qr", "phisut://enroll?iss=https%3A%2F%2Fid.example", "--citizen-id", citizen],
        ["--qr", qr, "--citizen-id", "1101700207031"],
        ["--qr", qr, "--citizen-id", citizen, "--key-type", "rsa"],
    ])
    func refusedLocally(_ flags: [String]) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = FakeBroker.accepting()
        let status = Self.app(broker).run(["enroll", "--accept-terms", "--passcode", "123456", "--state", directory + "/s.json"] + flags)
        #expect(status != 0)
        #expect(broker.requests.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test("devices, requests and revoke after an enrollment")
    func lifecycle() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = directory + "/s.json"
        let broker = FakeBroker.accepting(deviceID: "dev_9")
        #expect(Self.app(broker).run(["enroll", "--qr", Self.qr, "--citizen-id", Self.citizen, "--accept-terms",
                                      "--passcode", "123456", "--state", state]) == 0)
        let enrolledKey = try JWK(json: try #require(broker.requests[1].jsonBody?["device_key"]))

        let listing = RecordingConsole()
        #expect(Self.app(broker, console: listing).run(["devices", "--state", state]) == 0)
        #expect(listing.outputLines.count == 1)
        #expect(listing.outputLines[0].hasPrefix("dev_9\tactive\thttps://id.example\t*********7030\tEC P-256"))
        #expect(!listing.outputLines[0].contains(Self.citizen))

        let pending = RecordingConsole()
        #expect(Self.app(broker, input: ["123456"], console: pending).run(["requests", "--state", state]) == 0)
        #expect(pending.outputLines == [#"{"requests":[]}"#])
        let bearer = try #require(broker.requests.last?.header("Authorization"))
        #expect(bearer.hasPrefix("Bearer "))
        var validator = JWTClaimsValidator(issuer: "dev_9", audience: "https://id.example", now: 1_800_000_000)
        validator.maxLifetime = 300
        _ = try JWT.verify(String(bearer.dropFirst(7)), allowed: [.es256], validator: validator) { _ throws(JOSEError) in enrolledKey }

        let revoking = RecordingConsole()
        #expect(Self.app(broker, console: revoking).run(["revoke", "--state", state, "--passcode", "123456"]) == 0)
        #expect(broker.requests.last?.method == "DELETE")
        #expect(broker.requests.last?.url == "https://id.example/device/v1/devices/dev_9")
        #expect(revoking.outputLines == ["revoked device dev_9"])
        let after = try StateFile(path: state).load().enrollments[0]
        #expect(after.status == .revoked && after.sealedKey == nil)
    }

    @Test("a wrong --passcode is refused and counted; a broker refusal keeps the key")
    func wrongPasscodeCommand() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = directory + "/s.json"
        #expect(Self.app(.accepting()).run(["enroll", "--qr", Self.qr, "--citizen-id", Self.citizen, "--accept-terms",
                                            "--passcode", "123456", "--state", state]) == 0)
        let console = RecordingConsole()
        let refusing = FakeBroker { _ in FakeBroker.json(401, ["error": "invalid_token", "error_description": "revoked"]) }
        #expect(Self.app(refusing, console: console).run(["revoke", "--state", state, "--passcode", "000000"]) == 1)
        #expect(console.promptText.contains("wrong passcode"))
        #expect(refusing.requests.isEmpty)
        #expect(try StateFile(path: state).load().enrollments[0].failedPasscodes == 1)

        let refused = RecordingConsole()
        #expect(Self.app(refusing, console: refused).run(["revoke", "--state", state, "--passcode", "123456"]) == 1)
        #expect(refused.promptText.contains("invalid_token: revoked"))
        let kept = try StateFile(path: state).load().enrollments[0]
        #expect(kept.status == .active && kept.sealedKey != nil && kept.failedPasscodes == 0)
    }

    @Test("help prints the usage on stdout and succeeds", arguments: ["help", "--help", "-h"])
    func help(_ word: String) {
        let console = RecordingConsole()
        #expect(Self.app(.accepting(), console: console).run([word]) == 0)
        #expect(console.outputLines.first?.hasPrefix("usage: phisut-device enroll") == true)
    }

    @Test("bad command lines exit 2", arguments: [
        [], ["frobnicate"], ["enroll", "--bogus"], ["devices", "--state"], ["enroll", "--accept-terms=yes"],
        ["revoke", "--passcode", "1", "--passcode", "2"],
    ])
    func usage(_ arguments: [String]) {
        #expect(Self.app(.accepting()).run(arguments) == 2)
    }
}
