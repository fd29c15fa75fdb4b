import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

@Suite("Enrollment: officer starts, device completes")
struct EnrollmentTests {
    @Test("the whole enrollment binds a device and consumes the code")
    func happyPath() throws {
        let t = try TestBroker()
        let officer = try t.officer()
        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: officer)
        #expect(ticket.expiresAt == t.clock.now + 600)
        #expect(Base64URL.encodedBytes(ticket.code) >= 16)   // ≥ 128 bits
        #expect(ticket.qrPayload.contains("code=" + ticket.code))
        #expect(ticket.qrPayload.contains(FormEncoding.escape(t.broker.configuration.issuer)))

        let citizen = try t.broker.store.citizen(id: Citizens.a)
        #expect(citizen.ial == EnrollmentService.officerCheckedIAL)
        #expect(citizen.cardLaserCode == "JT0123456789")

        let key = try JWK.generate(for: .es256)
        let device = try t.broker.enrollment.enrollDevice(
            TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: key, at: t.clock.now))
        #expect(device.citizenID == Citizens.a)
        #expect(device.termsVersion == "2026-11-01")
        let enrollment = try t.broker.store.enrollment(id: ticket.enrollmentID)
        #expect(enrollment.status == .used)
        #expect(enrollment.deviceID == device.id)

        // Single use: the same code again is refused.
        let again = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: try JWK.generate(for: .edDSA), at: t.clock.now)
        #expect(throws: OAuthError.invalidEnrollmentCode("the enrollment code is unknown, used or expired")) {
            try t.broker.enrollment.enrollDevice(again)
        }
        #expect(try t.broker.store.devices(citizenID: Citizens.a).count == 1)
    }

    @Test("Ed25519 device keys are accepted")
    func ed25519() throws {
        let t = try TestBroker()
        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: try t.officer())
        let device = try t.broker.enrollment.enrollDevice(
            TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: try JWK.generate(for: .edDSA), at: t.clock.now))
        #expect(try JWK(jsonText: device.publicKeyJWK).keyType == .okp)
    }

    @Test("the officer's input is validated", arguments: [
        ("bad check digit", { @Sendable (a: inout EnrollmentApplication) in a.citizenID = "1101700203451" }, "invalid_citizen_id"),
        ("missing citizen ID", { @Sendable (a: inout EnrollmentApplication) in a.citizenID = nil }, "invalid_citizen_id"),
        ("missing Thai given name", { @Sendable (a: inout EnrollmentApplication) in a.givenNameTH = "  " }, "invalid_request"),
        ("missing English family name", { @Sendable (a: inout EnrollmentApplication) in a.familyNameEN = nil }, "invalid_request"),
        ("control character in a name", { @Sendable (a: inout EnrollmentApplication) in a.givenNameEN = "So\u{0}m" }, "invalid_request"),
        ("impossible date", { @Sendable (a: inout EnrollmentApplication) in a.birthdate = "1990-02-30" }, "invalid_request"),
        ("wrong date format", { @Sendable (a: inout EnrollmentApplication) in a.birthdate = "17/05/1990" }, "invalid_request"),
        ("future birthdate", { @Sendable (a: inout EnrollmentApplication) in a.birthdate = "2099-01-01" }, "invalid_request"),
        ("bad laser code", { @Sendable (a: inout EnrollmentApplication) in a.cardLaserCode = "123" }, "invalid_request"),
    ] as [(String, @Sendable (inout EnrollmentApplication) -> Void, String)])
    func officerValidation(_ name: String, _ change: @Sendable (inout EnrollmentApplication) -> Void, _ code: String) throws {
        let t = try TestBroker()
        var application = TestBroker.application(Citizens.a)
        change(&application)
        do {
            _ = try t.broker.enrollment.start(application, by: try t.officer())
            Issue.record("accepted: \(name)")
        } catch let error as OAuthError {
            #expect(error.code == code, "\(name)")
        }
        // Nothing half-written: no citizen was recorded by a refused application.
        #expect(throws: StorageError.notFound) { try t.broker.store.citizen(id: Citizens.a) }
    }

    @Test("a second enrollment updates the names of a known citizen")
    func updatesNames() throws {
        let t = try TestBroker()
        let officer = try t.officer()
        _ = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: officer)
        var renamed = TestBroker.application(Citizens.a)
        renamed.familyNameEN = "Sukjai"
        t.clock.advance(100)
        _ = try t.broker.enrollment.start(renamed, by: officer)
        let citizen = try t.broker.store.citizen(id: Citizens.a)
        #expect(citizen.familyNameEN == "Sukjai")
        #expect(citizen.updatedAt == citizen.createdAt + 100)
    }

    enum Tamper: String, CaseIterable, Sendable {
        case wrongCitizen, termsNotAccepted, proofByOtherKey, proofOverOtherCode, staleProof, unknownCode
    }

    @Test("device refusals carry the contract's error codes and leave no device", arguments: Tamper.allCases)
    func deviceRefusals(_ tamper: Tamper) throws {
        let t = try TestBroker()
        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: try t.officer())
        let key = try JWK.generate(for: .es256)
        var request = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: key, at: t.clock.now)
        let expected: String
        switch tamper {
        case .wrongCitizen:
            request = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.b, key: key, at: t.clock.now)
            expected = "citizen_mismatch"
        case .termsNotAccepted:
            request.termsVersion = "2020-01-01"
            expected = "terms_not_accepted"
        case .proofByOtherKey:
            request.deviceKey = try JWK.generate(for: .es256).publicKey.json()
            expected = "invalid_proof"
        case .proofOverOtherCode:
            request = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: key, at: t.clock.now, proofCode: "other")
            expected = "invalid_proof"
        case .staleProof:
            request = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: key, at: t.clock.now - 3600)
            expected = "invalid_proof"
        case .unknownCode:
            request.enrollmentCode = "not-a-code"
            expected = "invalid_enrollment_code"
        }
        do {
            _ = try t.broker.enrollment.enrollDevice(request)
            Issue.record("accepted \(tamper)")
        } catch let error as OAuthError {
            #expect(error.code == expected)
        }
        #expect(try t.broker.store.devices(citizenID: Citizens.a).isEmpty)
        #expect(try t.broker.store.devices(citizenID: Citizens.b).isEmpty)
    }

    @Test("weak or malformed device keys are refused", arguments: [
        ("RSA key", { @Sendable in try JWK.generate(for: .rs256).publicKey.json() }),
        ("private key material", { @Sendable in try JWK.generate(for: .es256).json(includePrivate: true) }),
        ("symmetric key", { @Sendable in ["kty": "oct", "k": "AAAA"] }),
        ("EC key without y", { @Sendable in ["kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"] }),
        ("not an object", { @Sendable in "a string" }),
    ] as [(String, @Sendable () throws -> JSONValue)])
    func weakKeys(_ name: String, _ make: @Sendable () throws -> JSONValue) throws {
        let t = try TestBroker()
        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: try t.officer())
        var request = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: try JWK.generate(for: .es256), at: t.clock.now)
        request.deviceKey = try make()
        #expect(throws: OAuthError.self, "\(name)") { try t.broker.enrollment.enrollDevice(request) }
        #expect(try t.broker.store.devices(citizenID: Citizens.a).isEmpty)
    }

    @Test("an expired code is refused")
    func expired() throws {
        let t = try TestBroker()
        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: try t.officer())
        t.clock.advance(601)
        let request = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: try JWK.generate(for: .es256), at: t.clock.now)
        #expect(throws: OAuthError.self) { try t.broker.enrollment.enrollDevice(request) }
    }

    @Test("the code lifetime is configurable")
    func configurableLifetime() throws {
        let t = try TestBroker { $0.enrollmentCodeLifetime = 60 }
        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: try t.officer())
        #expect(ticket.expiresAt == t.clock.now + 60)
    }

    @Test("five failed attempts burn the code")
    func burned() throws {
        let t = try TestBroker()
        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: try t.officer())
        let key = try JWK.generate(for: .es256)
        for _ in 0..<5 {
            let wrong = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.b, key: key, at: t.clock.now)
            #expect(throws: OAuthError.self) { try t.broker.enrollment.enrollDevice(wrong) }
        }
        #expect(try t.broker.store.enrollment(id: ticket.enrollmentID).status == .burned)
        let right = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: key, at: t.clock.now)
        do {
            _ = try t.broker.enrollment.enrollDevice(right)
            Issue.record("a burned code was accepted")
        } catch let error as OAuthError {
            #expect(error.code == "invalid_enrollment_code")
        }
    }

    @Test("at most five active devices per citizen")
    func deviceLimit() throws {
        let t = try TestBroker { $0.maxDevicesPerCitizen = 2 }
        let officer = try t.officer()
        func enroll() throws -> DeviceRecord {
            let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: officer)
            return try t.broker.enrollment.enrollDevice(
                TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: try JWK.generate(for: .es256), at: t.clock.now))
        }
        let first = try enroll()
        _ = try enroll()
        #expect(throws: OAuthError.self) { try enroll() }
        try t.broker.devices.revokeByOfficer(citizenID: Citizens.a, deviceID: first.id, officer: officer)
        _ = try enroll()   // a revoked device frees its place
        #expect(try t.broker.store.activeDeviceCount(citizenID: Citizens.a) == 2)
    }

    @Test("two concurrent enrollments with one code: exactly one succeeds")
    func concurrentUse() async throws {
        let t = try TestBroker()
        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: try t.officer())
        let requests = try (0..<8).map { _ in
            try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: try JWK.generate(for: .es256), at: t.clock.now)
        }
        let broker = t.broker
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for request in requests {
                group.addTask { (try? broker.enrollment.enrollDevice(request)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try t.broker.store.devices(citizenID: Citizens.a).count == 1)
    }

    @Test("the audit log records start, binding and refusals with actor and office")
    func audit() throws {
        let t = try TestBroker()
        let officer = try t.officer(office: "CNX-07")
        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: officer)
        let key = try JWK.generate(for: .es256)
        let wrong = try TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: key, at: t.clock.now, terms: "old")
        _ = try? t.broker.enrollment.enrollDevice(wrong)
        _ = try t.broker.enrollment.enrollDevice(TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: key, at: t.clock.now))
        let events = try t.broker.store.audit(citizenID: Citizens.a, limit: 10, beforeSequence: nil)
        let actions = events.map(\.action)
        #expect(actions == ["device.bound", "enrollment.attempt_refused", "enrollment.started"])
        let started = try #require(events.last)
        #expect(started.actorID == officer.id && started.office == "CNX-07" && started.outcome == "success")
        #expect(events[1].outcome == "failure")
        #expect(events.allSatisfy { $0.time == t.clock.now })
    }
}

extension Base64URL {
    static func encodedBytes(_ text: String) -> Int { (try? decode(text).count) ?? 0 }
}
