import DeviceKit
import Foundation
import HTTPClient
import JSON

/// Builds a checksum-valid citizen ID from 12 leading digits.
func validCitizenID(_ first12: String) -> String {
    let values = first12.utf8.map { Int($0) - 0x30 }
    var sum = 0
    for index in 0..<12 { sum += values[index] * (13 - index) }
    return first12 + String((11 - sum % 11) % 10)
}

/// scrypt cheap enough for many tests on a 2-core machine; the recommended parameters are
/// exercised by their own test.
let cheapKDF = PasscodeKDF.scrypt(n: 1 << 10, r: 8, p: 1)

/// A fresh directory under the system temporary directory, removed by the caller.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "devicekit-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}

/// A broker in memory: answers each request through `handler` and records what was sent.
/// Tests run its calls on one thread at a time, but `BrokerTransport` is `Sendable`, so the
/// log is behind a lock.
final class FakeBroker: BrokerTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var log: [OutboundRequest] = []
    private let handler: @Sendable (OutboundRequest) -> OutboundResponse

    init(handler: @escaping @Sendable (OutboundRequest) -> OutboundResponse) { self.handler = handler }

    func send(_ request: OutboundRequest) throws(OutboundError) -> OutboundResponse {
        lock.withLock { log.append(request) }
        return handler(request)
    }

    var requests: [OutboundRequest] { lock.withLock { log } }

    static let terms = JSONValue.object(["version": "2026-01", "text": ["th": "ข้อตกลง", "en": "Terms"]])

    /// Terms, then enrollment accepted as `dev_1`; `/requests` answers an empty list; DELETE 200.
    static func accepting(deviceID: String = "dev_1") -> FakeBroker {
        FakeBroker { request in
            switch (request.method, request.url) {
            case ("GET", let url) where url.hasSuffix("/device/v1/terms"):
                return json(200, terms)
            case ("POST", let url) where url.hasSuffix("/device/v1/enroll"):
                return json(201, ["device_id": .string(deviceID), "citizen_id": "x", "status": "enrolled"])
            case ("GET", let url) where url.hasSuffix("/device/v1/requests"):
                return json(200, ["requests": []])
            case ("DELETE", _):
                return json(200, ["device_id": .string(deviceID), "status": "revoked"])
            default:
                return json(404, ["error": "not_found"])
            }
        }
    }

    static func json(_ status: Int, _ body: JSONValue) -> OutboundResponse {
        OutboundResponse(status: status, headers: [("Content-Type", "application/json")], body: body.serialized())
    }
}

extension OutboundRequest {
    var jsonBody: JSONValue? { try? JSONValue(parsing: body) }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}
