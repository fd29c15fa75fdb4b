import Testing
@testable import Broker

@Suite("Citizen ID check digit")
struct CitizenIDTests {
    @Test("completing 12 digits yields the one valid 13th", arguments: ["110170020345", "350990012345", "000000000000", "999999999999"])
    func completes(_ first12: String) throws {
        let id = try #require(CitizenID.completing(first12))
        #expect(id.digits.hasPrefix(first12))
        let valid = (0...9).filter { CitizenID(first12 + String($0)) != nil }
        #expect(valid.count == 1)
    }

    @Test("the check digit follows weights 13…2 and (11 − sum mod 11) mod 10")
    func knownValues() {
        // 1-1017-00203-45-?: sum = 1·13+1·12+0·11+1·10+7·9+0·8+0·7+2·6+0·5+3·4+4·3+5·2 = 144; 144 mod 11 = 1; (11−1) mod 10 = 0
        #expect(CitizenID("1101700203450") != nil)
        #expect(CitizenID("1101700203451") == nil)
        let all = (0...9).filter { CitizenID("110170020345\($0)") != nil }
        #expect(all == [0])
    }

    @Test("malformed IDs are refused", arguments: [
        "", "110170020345", "11017002034500", "110170020345a", "1101700203 45", "๑๑๐๑๗๐๐๒๐๓๔๕๐", "-110170020345",
    ])
    func refused(_ text: String) {
        #expect(CitizenID(text) == nil)
        #expect(throws: OAuthError.self) { try CitizenID.parse(text) }
    }

    @Test("a refused ID throws the contract's invalid_citizen_id")
    func errorCode() {
        do {
            _ = try CitizenID.parse("1101700203451")
            Issue.record("accepted a bad check digit")
        } catch {
            #expect(error.code == "invalid_citizen_id")
        }
    }

    @Test("masking keeps only the last four digits")
    func masked() {
        #expect(CitizenID("1101700203450")?.masked == "•••••••••3450")
    }
}
