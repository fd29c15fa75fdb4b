import Foundation
import Storage

/// Small builders so each case states only what it cares about.
enum Fixture {
    static func officer(_ id: String, token: String? = nil) -> OfficerRecord {
        OfficerRecord(id: id, name: "Officer \(id)", officeCode: "BKK-01", tokenHash: token ?? "hash-\(id)", createdAt: 100)
    }

    static func partner(_ id: String) -> PartnerRecord { PartnerRecord(id: id, name: "Partner \(id)", createdAt: 100) }

    static func token(_ id: String, partner: String = "p1", expiresAt: Int64? = nil, uses: Int? = nil, revokedAt: Int64? = nil)
        -> InitialAccessTokenRecord
    {
        InitialAccessTokenRecord(
            id: id, partnerID: partner, tokenHash: "iat-\(id)", createdAt: 100, expiresAt: expiresAt,
            remainingUses: uses, revokedAt: revokedAt)
    }

    static func citizen(_ id: String = "1101700203451", givenEN: String = "Somchai", at time: Int64 = 100) -> CitizenRecord {
        CitizenRecord(
            id: id, givenNameTH: "สมชาย", givenNameEN: givenEN, familyNameTH: "ใจดี", familyNameEN: "Jaidee",
            birthdate: "1990-04-01", cardLaserCode: "JT0-1234567-89", ial: "2.3", createdAt: time, updatedAt: time)
    }

    static func enrollment(_ id: String, citizen: String = "1101700203451", code: String? = nil, expiresAt: Int64 = 1_000)
        -> EnrollmentRecord
    {
        EnrollmentRecord(
            id: id, citizenID: citizen, codeHash: code ?? "code-\(id)", officerID: "o1", officeCode: "BKK-01",
            createdAt: 100, expiresAt: expiresAt)
    }

    static func device(_ id: String, citizen: String = "1101700203451") -> DeviceRecord {
        DeviceRecord(
            id: id, citizenID: citizen, name: "Phone \(id)", publicKeyJWK: #"{"kty":"EC","crv":"P-256"}"#,
            pushURL: "https://push.example/\(id)", termsVersion: "2024-01", createdAt: 100)
    }

    static func key(_ id: String, removeAfter: Int64? = nil) -> SigningKeyRecord {
        SigningKeyRecord(id: id, algorithm: "ES256", privateJWK: #"{"kty":"EC","d":"secret"}"#, createdAt: 100, removeAfter: removeAfter)
    }

    static func event(_ action: String, citizen: String? = nil, time: Int64 = 100) -> AuditEvent {
        AuditEvent(
            time: time, actorType: "officer", actorID: "o1", office: "BKK-01", action: action, citizenID: citizen,
            outcome: "success", detail: #"{"n":1}"#)
    }
}

/// Runs `body(i)` on `count` real threads released together, and waits for all of them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let ready = DispatchGroup()
    let go = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for index in 0..<count {
        ready.enter()
        done.enter()
        Thread {
            ready.leave()
            go.wait()
            body(index)
            done.leave()
        }.start()
    }
    ready.wait()
    for _ in 0..<count { go.signal() }
    done.wait()
}

/// A value shared between test threads. `@unchecked Sendable`: every access holds `lock`.
final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
    var current: Value { lock.withLock { value } }
}
