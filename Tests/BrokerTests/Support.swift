import Foundation
import JOSE
import JSON
import Storage
@testable import Broker

/// A clock the test moves by hand.
final class TestClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int64
    init(_ start: Int64 = 1_800_000_000) { current = start }
    var now: Int64 { lock.withLock { current } }
    func advance(_ seconds: Int64) { lock.withLock { current += seconds } }
}

/// A broker on a fresh SQLite file in a temporary folder.
struct TestBroker {
    let broker: Broker
    let clock: TestClock
    let directory: String

    /// Keys for only the fast algorithms unless a test asks for more: RSA key generation
    /// dominates a debug build's test time.
    init(algorithms: [JWSAlgorithm] = [.es256, .edDSA], configure: (inout BrokerConfiguration) -> Void = { _ in }) throws {
        directory = NSTemporaryDirectory() + "phisut-broker-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory + "/test.sqlite")
        clock = TestClock()
        var configuration = BrokerConfiguration(issuer: "http://127.0.0.1:8080", metadataDirectory: directory)
        configuration.signingAlgorithms = algorithms
        configure(&configuration)
        broker = try Broker(
            configuration: configuration, store: store,
            terms: TermsCatalog(current: Terms(version: "2026-11-01", textTH: "ข้อกำหนด", textEN: "Terms")),
            clock: clock, log: { _ in })
        try broker.prepare()
    }

    func officer(office: String = "BKK-01") throws -> OfficerRecord {
        try broker.officers.add(name: "Somchai", officeCode: office).officer
    }

    static func application(_ citizenID: String) -> EnrollmentApplication {
        EnrollmentApplication(
            citizenID: citizenID, givenNameTH: "สมหญิง", givenNameEN: "Somying", familyNameTH: "ใจดี",
            familyNameEN: "Jaidee", birthdate: "1990-05-17", cardLaserCode: "JT0-1234567-89")
    }

    /// What a device app sends: a fresh key and its proof over the code and citizen ID.
    static func deviceRequest(code: String, citizenID: String, key: JWK, at iat: Int64,
                              terms: String = "2026-11-01", proofCode: String? = nil) throws -> DeviceEnrollmentRequest {
        let payload: JSONValue = ["enrollment_code": .string(proofCode ?? code), "citizen_id": .string(citizenID), "iat": .int(iat)]
        let algorithm: JWSAlgorithm = key.keyType == .okp ? .edDSA : .es256
        let proof = try JWS.sign(payload: payload.serialized(), key: key, algorithm: algorithm)
        return DeviceEnrollmentRequest(
            enrollmentCode: code, citizenID: citizenID, termsVersion: terms, deviceName: "Pixel",
            deviceKey: key.publicKey.json(), proof: proof)
    }

    /// A device assertion (CONTRACT.md) for authenticated device calls.
    func assertion(device: String, key: JWK, jti: String = UUID().uuidString, lifetime: Int64 = 120,
                   audience: String? = nil) throws -> String {
        let now = clock.now
        var header = JWK(key)
        header.kid = device
        return try JWT.sign(
            claims: ["iss": .string(device), "sub": .string(device), "aud": .string(audience ?? broker.configuration.issuer),
                     "iat": .int(now), "exp": .int(now + lifetime), "jti": .string(jti)],
            key: header, algorithm: key.keyType == .okp ? .edDSA : .es256)
    }
}

extension JWK {
    init(_ other: JWK) { self = other }
}

/// Valid citizen IDs for tests, completed with their check digit.
enum Citizens {
    static let a = CitizenID.completing("110170020345")!.digits
    static let b = CitizenID.completing("350990012345")!.digits
    static let c = CitizenID.completing("510020030040")!.digits
}
