import DeviceKit
import Testing

@Suite("Enrollment QR payload")
struct EnrollmentQRTests {
    @Test("the broker's own payload parses")
    func brokerPayload() throws {
        // As EnrollmentService.qrPayload writes it: every non-unreserved byte escaped.
        let qr = try EnrollmentQR(parsing: "phisut://enroll?iss=https%3A%2F%2Fid.example.go.th%2Fbroker&code=Ab3_x-9Z")
        #expect(qr.issuer == "https://id.example.go.th/broker")
        #expect(qr.code == "Ab3_x-9Z")
    }

    @Test("good payloads", arguments: [
        ("loopback development broker", "phisut://enroll?iss=http%3A%2F%2F127.0.0.1%3A8080&code=c1", "http://127.0.0.1:8080"),
        ("localhost", "phisut://enroll?iss=http%3A%2F%2Flocalhost%3A9&code=c1", "http://localhost:9"),
        ("IPv6 loopback", "phisut://enroll?iss=http%3A%2F%2F%5B%3A%3A1%5D%3A9&code=c1", "http://[::1]:9"),
        ("code first", "phisut://enroll?code=c1&iss=https%3A%2F%2Fa.example", "https://a.example"),
        ("trailing slash dropped", "phisut://enroll?iss=https%3A%2F%2Fa.example%2F&code=c1", "https://a.example"),
        ("unescaped slashes tolerated", "phisut://enroll?iss=https://a.example/x&code=c1", "https://a.example/x"),
    ])
    func good(_ description: String, _ payload: String, _ issuer: String) throws {
        let qr = try EnrollmentQR(parsing: payload)
        #expect(qr.issuer == issuer, "\(description)")
        #expect(qr.code == "c1")
    }

    @Test("refused payloads", arguments: [
        ("wrong scheme", "https://enroll?iss=https%3A%2F%2Fa.example&code=c1"),
        ("other app's scheme", "phisutx://enroll?iss=https%3A%2F%2Fa.example&code=c1"),
        ("wrong host", "phisut://login?iss=https%3A%2F%2Fa.example&code=c1"),
        ("upper-case scheme", "PHISUT://enroll?iss=https%3A%2F%2Fa.example&code=c1"),
        ("missing code", "phisut://enroll?iss=https%3A%2F%2Fa.example"),
        ("empty code", "phisut://enroll?iss=https%3A%2F%2Fa.example&code="),
        ("missing iss", "phisut://enroll?code=c1"),
        ("extra parameter", "phisut://enroll?iss=https%3A%2F%2Fa.example&code=c1&x=1"),
        ("trailing ampersand", "phisut://enroll?iss=https%3A%2F%2Fa.example&code=c1&"),
        ("repeated code", "phisut://enroll?iss=https%3A%2F%2Fa.example&code=c1&code=c2"),
        ("fragment", "phisut://enroll?iss=https%3A%2F%2Fa.example&code=c1#frag"),
        ("trailing junk after a space", "phisut://enroll?iss=https%3A%2F%2Fa.example&code=c1 junk"),
        ("leading space", " phisut://enroll?iss=https%3A%2F%2Fa.example&code=c1"),
        ("bad percent-encoding", "phisut://enroll?iss=https%3A%2F%2Fa.example%G0&code=c1"),
        ("truncated percent", "phisut://enroll?iss=https%3A%2F%2Fa.example&code=c1%2"),
        ("plus sign", "phisut://enroll?iss=https%3A%2F%2Fa.example&code=c+1"),
        ("code with a space", "phisut://enroll?iss=https%3A%2F%2Fa.example&code=c%201"),
        ("http to a public host", "phisut://enroll?iss=http%3A%2F%2Fa.example&code=c1"),
        ("http to a look-alike of 127", "phisut://enroll?iss=http%3A%2F%2F127.0.0.1.evil.example&code=c1"),
        ("issuer not a URL", "phisut://enroll?iss=a.example&code=c1"),
        ("issuer with query", "phisut://enroll?iss=https%3A%2F%2Fa.example%3Fx%3D1&code=c1"),
        ("issuer with user info", "phisut://enroll?iss=https%3A%2F%2Fme%40a.example&code=c1"),
        ("issuer without host", "phisut://enroll?iss=https%3A%2F%2F&code=c1"),
        ("no query", "phisut://enroll"),
        ("not UTF-8", "phisut://enroll?iss=https%3A%2F%2Fa.example%FF&code=c1"),
    ])
    func refused(_ description: String, _ payload: String) {
        #expect(throws: DeviceError.self, "\(description)") { try EnrollmentQR(parsing: payload) }
    }

    @Test("an overlong payload is refused before parsing")
    func overlong() {
        let payload = "phisut://enroll?iss=https%3A%2F%2Fa.example&code=" + String(repeating: "a", count: 5000)
        #expect(throws: DeviceError.invalidQRPayload("too long")) { try EnrollmentQR(parsing: payload) }
    }
}
