import DeviceKit
import Testing

@Suite("Citizen ID check digit")
struct CitizenNumberTests {
    @Test("valid IDs are accepted", arguments: [
        validCitizenID("110170020703"), validCitizenID("123456789012"), validCitizenID("000000000000"),
        validCitizenID("999999999999"), " " + validCitizenID("310040012345") + "\n",
    ])
    func accepts(_ text: String) throws {
        let id = try CitizenNumber(text)
        #expect(id.digits.count == 13)
    }

    @Test("the check digit is (11 − Σ digit×weight mod 11) mod 10 with weights 13…2")
    func knownCheckDigit() throws {
        // 1·13+1·12+0·11+1·10+7·9+0·8+0·7+2·6+0·5+7·4+0·3+3·2 = 144; 144 mod 11 = 1; (11−1) mod 10 = 0.
        #expect(throws: Never.self) { try CitizenNumber("1101700207030") }
        #expect(throws: DeviceError.invalidCitizenID) { try CitizenNumber("1101700207031") }
    }

    @Test("wrong IDs are refused", arguments: [
        ("wrong check digit", String(validCitizenID("110170020703").dropLast()) + "9"),
        ("12 digits", "110170020703"),
        ("14 digits", validCitizenID("110170020703") + "0"),
        ("letters", "11017002070a3"),
        ("dashes", "1-1017-00207-03-0"),
        ("Thai digits", "๑๑๐๑๗๐๐๒๐๗๐๓๐"),
        ("empty", ""),
    ])
    func refuses(_ description: String, _ text: String) {
        #expect(throws: DeviceError.invalidCitizenID, "\(description)") { try CitizenNumber(text) }
    }

    @Test("masking shows only the last four digits")
    func masking() throws {
        let id = try CitizenNumber("1101700207030")
        #expect(id.masked == "*********7030")
        #expect(!id.masked.contains("110170020"))
    }
}
