import Foundation
import HTTPClient
import JOSE
import JSON

/// One load-generator thread: claims enrollment indexes until none are left and runs each one
/// (officer call, then device call) on its own `HTTPClient`, whose single pooled easy handle
/// keeps one keep-alive connection to the broker.
struct EnrollWorker {
    let plan: EnrollPlan
    let client = EnrollBench.client()

    private static let givenNames: [(th: String, en: String)] = [
        ("สมชาย", "Somchai"), ("สมหญิง", "Somying"), ("ประเสริฐ", "Prasert"), ("มาลี", "Malee"),
        ("วิชัย", "Wichai"), ("นภา", "Napa"), ("สุรชัย", "Surachai"), ("กาญจนา", "Kanchana"),
    ]
    private static let familyNames: [(th: String, en: String)] = [
        ("ใจดี", "Jaidee"), ("รักไทย", "Rakthai"), ("ศรีสุข", "Srisuk"), ("บุญมา", "Boonma"),
        ("แสงทอง", "Saengthong"), ("วงศ์ใหญ่", "Wongyai"),
    ]

    func run() -> EnrollResult {
        var result = EnrollResult()
        let expected = plan.options.count / plan.options.concurrency + 1
        result.officer.reserve(expected)
        result.device.reserve(expected)
        result.crypto.reserve(expected)
        while let index = plan.claim() {
            do {
                try enroll(index, into: &result)
                result.succeeded += 1
            } catch {
                result.failures += 1
                if result.firstErrors.count < 20 { result.firstErrors.append("#\(index): \(error)") }
            }
            plan.completed.add(1, ordering: .relaxed)
        }
        return result
    }

    private func enroll(_ index: Int, into result: inout EnrollResult) throws {
        let citizenID = plan.ids.id(index)
        let base = plan.options.url

        let officerStart = enrollClock()
        let ticket = try post(base + "/officer/v1/enrollments", person(citizenID, index),
                              headers: [("Authorization", "Bearer " + plan.options.officerToken)])
        result.officer.record(enrollClock() - officerStart)
        guard let code = ticket["enrollment_code"]?.stringValue else {
            throw EnrollFailure(status: 201, body: "no enrollment_code in \(ticket)")
        }

        let cryptoStart = enrollClock()
        let key = try JWK.generate(for: .es256)
        let proofPayload = JSONValue.object([
            "enrollment_code": .string(code), "citizen_id": .string(citizenID),
            "iat": .int(Int64(Date().timeIntervalSince1970)),
        ]).serialized()
        let proof = try JWS.sign(payload: proofPayload, key: key, algorithm: .es256)
        let device = JSONValue.object([
            "enrollment_code": .string(code), "citizen_id": .string(citizenID),
            "terms_version": .string(plan.termsVersion), "device_name": .string("bench phone \(index)"),
            "device_key": key.publicKey.json(), "proof": .string(proof),
        ])
        result.crypto.record(enrollClock() - cryptoStart)

        let deviceStart = enrollClock()
        _ = try post(base + "/device/v1/enroll", device, headers: [])
        result.device.record(enrollClock() - deviceStart)
    }

    /// POSTs JSON; anything but a 201 with a JSON body throws `EnrollFailure`.
    private func post(_ url: String, _ body: JSONValue, headers: [(String, String)]) throws -> JSONValue {
        let response = try client.send(OutboundRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/json")] + headers, body: body.serialized()))
        guard response.status == 201 else {
            throw EnrollFailure(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        return try JSONValue(parsing: response.body)
    }

    private func person(_ citizenID: String, _ index: Int) -> JSONValue {
        let given = Self.givenNames[index % Self.givenNames.count]
        let family = Self.familyNames[(index / Self.givenNames.count) % Self.familyNames.count]
        let birthdate = String(format: "%04d-%02d-%02d", 1950 + index % 55, 1 + index % 12, 1 + index % 28)
        return .object([
            "citizen_id": .string(citizenID),
            "given_name": ["th": .string(given.th), "en": .string(given.en)],
            "family_name": ["th": .string(family.th), "en": .string(family.en)],
            "birthdate": .string(birthdate),
        ])
    }
}
