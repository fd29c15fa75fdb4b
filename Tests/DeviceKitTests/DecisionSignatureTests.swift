import DeviceKit
import JOSE
import JSON
import Testing

@Suite("signed decisions (CONTRACT.md POST /device/v1/requests/{id}/decision)")
struct DecisionSignatureTests {
    @Test("claims: request_id, approve, iat, and number only when given; kid names the device",
          arguments: [(true, "42" as String?), (true, nil), (false, nil)])
    func claims(_ approve: Bool, _ number: String?) throws {
        let key = try JWK.generate(for: .es256)
        let jws = try DeviceSignatures.decision(key: key, algorithm: .es256, deviceID: "dev_1", requestID: "req_7",
                                                approve: approve, number: try number.map(ApprovalNumber.init), now: 1_800_000_000)
        let verified = try JWS.verify(jws, key: key.publicKey)
        let payload = try JSONValue(parsing: verified.payload)
        var expected: [String: JSONValue] = ["request_id": "req_7", "approve": .bool(approve), "iat": 1_800_000_000]
        if let number { expected["number"] = .string(number) }
        #expect(payload == .object(expected))
        let header = try JWS.decodeUnverified(jws).header
        #expect(header["kid"] == "dev_1" && header["alg"] == "ES256")
    }

    @Test("an Ed25519 device signs with EdDSA")
    func edDSA() throws {
        let key = try JWK.generate(for: .edDSA)
        let jws = try DeviceSignatures.decision(key: key, algorithm: .edDSA, deviceID: "d", requestID: "r", approve: false,
                                                number: nil, now: 1)
        #expect(throws: Never.self) { try JWS.verify(jws, key: key.publicKey) }
    }

    @Test("the number is exactly two digits", arguments: ["1", "123", "ab", "4 2", "", "٤٢"])
    func badNumbers(_ text: String) {
        #expect(throws: DeviceError.self) { try ApprovalNumber(text) }
    }

    @Test("a number with spaces around is trimmed")
    func trimmedNumber() throws {
        #expect(try ApprovalNumber(" 07 ").digits == "07")
    }
}
