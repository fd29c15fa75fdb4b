import DeviceKit
import Testing

@Suite("Passcode rules")
struct PasscodeTests {
    @Test("six digits are accepted", arguments: ["123456", "000000", " 987654\n"])
    func accepts(_ text: String) throws {
        #expect(try Passcode(text).digits.count == 6)
    }

    @Test("anything else is refused", arguments: [
        ("five digits", "12345"), ("seven digits", "1234567"), ("letters", "12345a"), ("empty", ""),
        ("inner space", "123 456"), ("Thai digits", "๑๒๓๔๕๖"), ("sign", "+12345"),
    ])
    func refuses(_ description: String, _ text: String) {
        #expect(throws: DeviceError.passcodeFormat, "\(description)") { try Passcode(text) }
    }

    @Test("set twice and confirmed, all equal")
    func chosen() throws {
        #expect(try Passcode.chosen(first: "123456", again: "123456", confirm: "123456").digits == "123456")
    }

    @Test("mismatches are refused", arguments: [
        ("second entry differs", "123456", "123457", "123456"),
        ("confirmation differs", "123456", "123456", "654321"),
    ])
    func mismatch(_ description: String, _ first: String, _ again: String, _ confirm: String) {
        #expect(throws: DeviceError.passcodeMismatch, "\(description)") {
            try Passcode.chosen(first: first, again: again, confirm: confirm)
        }
    }

    @Test("a malformed entry is reported as such, not as a mismatch")
    func formatBeforeMismatch() {
        #expect(throws: DeviceError.passcodeFormat) { try Passcode.chosen(first: "123456", again: "12345", confirm: "123456") }
    }
}
