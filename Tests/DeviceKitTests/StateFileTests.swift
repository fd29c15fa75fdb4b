import DeviceKit
import Foundation
import JOSE
import JSON
import Testing

@Suite("State file")
struct StateFileTests {
    /// A state file holding one active P-256 enrollment sealed under 123456.
    static func enrolledFile(in directory: String) throws -> (StateFile, JWK) {
        let key = try DeviceKeyType.p256.generate()
        let file = StateFile(path: directory + "/nested/state.json")
        let enrollment = DeviceEnrollment(
            deviceID: "dev_1", issuer: "https://id.example", citizenID: "1101700207030", deviceName: "phone",
            algorithm: .es256, publicKey: key.publicKey.json(),
            sealedKey: try SealedKey.seal(key, passcode: Passcode("123456"), kdf: cheapKDF), enrolledAt: 1_800_000_000)
        try file.save(DeviceState(enrollments: [enrollment]))
        return (file, key)
    }

    @Test("saved owner-only (0600) in a 0700 directory, and read back equal")
    func modeAndRoundTrip() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (file, _) = try Self.enrolledFile(in: directory)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let parent = try FileManager.default.attributesOfItem(atPath: directory + "/nested")
        #expect((parent[.posixPermissions] as? Int) == 0o700)
        let state = try file.load()
        #expect(state.enrollments.count == 1)
        #expect(state.enrollments[0].deviceID == "dev_1")
        #expect(state.enrollments[0].sealedKey?.kdf == cheapKDF)
        // No temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/nested") == ["state.json"])
    }

    @Test("the file never holds the private key or the passcode in clear")
    func noSecretsInClear() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (file, key) = try Self.enrolledFile(in: directory)
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        let d = try #require(key.json(includePrivate: true)["d"]?.stringValue)
        #expect(!text.contains(d))
        #expect(!text.contains("123456"))
    }

    @Test("a file others can read is refused")
    func tooOpen() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (file, _) = try Self.enrolledFile(in: directory)
        chmod(file.path, 0o644)
        #expect(throws: DeviceError.self) { try file.load() }
    }

    @Test("a missing file is an empty state; garbage is refused")
    func missingAndGarbage() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = StateFile(path: directory + "/state.json")
        #expect(try file.load().enrollments.isEmpty)
        _ = FileManager.default.createFile(atPath: file.path, contents: Data("{\"version\": 1, \"enrollments\": [{}]}".utf8),
                                       attributes: [.posixPermissions: 0o600])
        #expect(throws: DeviceError.self) { try file.load() }
        _ = FileManager.default.createFile(atPath: file.path, contents: Data("not json".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: DeviceError.self) { try file.load() }
    }

    @Test("five wrong passcodes in a row wipe the key but keep the device id")
    func fiveWrongWipe() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (file, _) = try Self.enrolledFile(in: directory)
        let wrong = try Passcode("000000")
        for remaining in (1...4).reversed() {
            #expect(throws: DeviceError.wrongPasscode(remaining: remaining)) { try file.unlock(deviceID: nil, passcode: wrong) }
        }
        #expect(try file.load().enrollments[0].failedPasscodes == 4)
        #expect(throws: DeviceError.keyWiped) { try file.unlock(deviceID: nil, passcode: wrong) }
        let enrollment = try file.load().enrollments[0]
        #expect(enrollment.status == .wiped && enrollment.sealedKey == nil && enrollment.deviceID == "dev_1")
        // Even the right passcode cannot bring it back.
        #expect(throws: DeviceError.keyWiped) { try file.unlock(deviceID: nil, passcode: Passcode("123456")) }
        #expect(!(try String(contentsOfFile: file.path, encoding: .utf8)).contains("ciphertext"))
    }

    @Test("wrong passcodes tried in parallel are all counted (the state lock serialises them)")
    func parallelGuessesCounted() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (file, _) = try Self.enrolledFile(in: directory)
        let wrong = try Passcode("000000")
        DispatchQueue.concurrentPerform(iterations: DeviceState.maximumFailedPasscodes) { _ in
            _ = try? file.unlock(deviceID: nil, passcode: wrong)
        }
        let enrollment = try file.load().enrollments[0]
        #expect(enrollment.failedPasscodes == DeviceState.maximumFailedPasscodes)
        #expect(enrollment.status == .wiped && enrollment.sealedKey == nil)
    }

    @Test("a right passcode resets the counter")
    func rightResets() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (file, key) = try Self.enrolledFile(in: directory)
        for _ in 0..<4 { _ = try? file.unlock(deviceID: nil, passcode: Passcode("000000")) }
        let unlocked = try file.unlock(deviceID: nil, passcode: Passcode("123456"))
        #expect(unlocked.key.thumbprint() == key.thumbprint())
        #expect(try file.load().enrollments[0].failedPasscodes == 0)
        #expect(throws: DeviceError.wrongPasscode(remaining: 4)) { try file.unlock(deviceID: nil, passcode: Passcode("000000")) }
    }

    @Test("choosing the enrollment: by id, the only active one, or refused when ambiguous")
    func choosing() throws {
        func enrollment(_ id: String, _ status: DeviceEnrollment.Status) -> DeviceEnrollment {
            DeviceEnrollment(deviceID: id, issuer: "https://a", citizenID: "1101700207030", deviceName: "n", algorithm: .es256,
                             publicKey: [:], sealedKey: nil, status: status, enrolledAt: 0)
        }
        let state = DeviceState(enrollments: [enrollment("a", .revoked), enrollment("b", .active)])
        #expect(try state.index(of: nil) == 1)
        #expect(try state.index(of: "a") == 0)
        #expect(throws: DeviceError.self) { try state.index(of: "c") }
        let two = DeviceState(enrollments: [enrollment("a", .active), enrollment("b", .active)])
        #expect(throws: DeviceError.self) { try two.index(of: nil) }
        #expect(throws: DeviceError.keyWiped) { try DeviceState(enrollments: [enrollment("a", .wiped)]).index(of: nil) }
    }
}
