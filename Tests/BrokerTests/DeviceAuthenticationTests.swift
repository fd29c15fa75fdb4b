import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

@Suite("Device assertions (CONTRACT.md device authentication)")
struct DeviceAuthenticationTests {
    struct Enrolled {
        let t: TestBroker
        let device: DeviceRecord
        let key: JWK
    }

    static func enrolled(_ algorithm: JWSAlgorithm = .es256) throws -> Enrolled {
        let t = try TestBroker()
        let ticket = try t.broker.enrollment.start(TestBroker.application(Citizens.a), by: try t.officer())
        let key = try JWK.generate(for: algorithm)
        let device = try t.broker.enrollment.enrollDevice(
            TestBroker.deviceRequest(code: ticket.code, citizenID: Citizens.a, key: key, at: t.clock.now))
        return Enrolled(t: t, device: device, key: key)
    }

    @Test("a valid assertion authenticates the device", arguments: [JWSAlgorithm.es256, .edDSA])
    func valid(_ algorithm: JWSAlgorithm) throws {
        let e = try Self.enrolled(algorithm)
        let device = try e.t.broker.devices.authenticate(bearer: e.t.assertion(device: e.device.id, key: e.key))
        #expect(device.id == e.device.id)
    }

    @Test("a replayed jti is refused")
    func replay() throws {
        let e = try Self.enrolled()
        let token = try e.t.assertion(device: e.device.id, key: e.key, jti: "once")
        _ = try e.t.broker.devices.authenticate(bearer: token)
        #expect(throws: OAuthError.self) { try e.t.broker.devices.authenticate(bearer: token) }
    }

    @Test("bad assertions are refused with invalid_token", arguments: [
        "no token", "wrong key", "wrong audience", "too long lifetime", "expired", "unknown device", "garbage",
    ])
    func refused(_ case: String) throws {
        let e = try Self.enrolled()
        var token: String? = nil
        switch `case` {
        case "no token": token = nil
        case "wrong key": token = try e.t.assertion(device: e.device.id, key: try JWK.generate(for: .es256))
        case "wrong audience": token = try e.t.assertion(device: e.device.id, key: e.key, audience: "https://elsewhere.example")
        case "too long lifetime": token = try e.t.assertion(device: e.device.id, key: e.key, lifetime: 3600)
        case "expired":
            token = try e.t.assertion(device: e.device.id, key: e.key, lifetime: 60)
            e.t.clock.advance(200)
        case "unknown device": token = try e.t.assertion(device: "dev_unknown", key: e.key)
        default: token = "a.b.c"
        }
        do {
            _ = try e.t.broker.devices.authenticate(bearer: token)
            Issue.record("accepted: \(`case`)")
        } catch {
            #expect(error.code == "invalid_token")
            #expect(error.status == 401)
        }
    }

    @Test("a revoked device can no longer authenticate; a device revokes only itself")
    func revocation() throws {
        let e = try Self.enrolled()
        let device = try e.t.broker.devices.authenticate(bearer: e.t.assertion(device: e.device.id, key: e.key))
        #expect(throws: OAuthError.self) { try e.t.broker.devices.revoke(id: "dev_other", by: device) }
        try e.t.broker.devices.revoke(id: device.id, by: device)
        #expect(throws: OAuthError.self) { try e.t.broker.devices.authenticate(bearer: e.t.assertion(device: e.device.id, key: e.key)) }
        let events = try e.t.broker.store.audit(citizenID: Citizens.a, limit: 1, beforeSequence: nil)
        #expect(events.first?.action == "device.revoked")
    }

    @Test("an officer lists and revokes all devices of a citizen")
    func officerRevokesAll() throws {
        let e = try Self.enrolled()
        let officer = try e.t.officer()
        #expect(try e.t.broker.devices.devices(citizenID: Citizens.a, officer: officer).count == 1)
        let after = try e.t.broker.devices.revokeByOfficer(citizenID: Citizens.a, deviceID: nil, officer: officer)
        #expect(after.allSatisfy { $0.revokedAt != nil })
        #expect(try e.t.broker.store.activeDeviceCount(citizenID: Citizens.a) == 0)
    }
}
