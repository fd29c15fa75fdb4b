/// The citizen's passcode: exactly six ASCII digits. It never leaves the device; it only
/// unlocks the sealed device key (`SealedKey`).
public struct Passcode: Sendable, Equatable {
    /// The digits, as typed.
    public let digits: String

    public init(_ text: String) throws(DeviceError) {
        let trimmed = text.trimmingSpaces
        guard trimmed.utf8.count == 6, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .passcodeFormat
        }
        digits = trimmed
    }

    /// Enrollment steps 6 and 7 (DESIGN.md): set twice, both equal, then confirmed once more.
    /// Refuses a wrong format before comparing, so the error names the first real mistake.
    public static func chosen(first: String, again: String, confirm: String) throws(DeviceError) -> Passcode {
        let passcode = try Passcode(first)
        guard try Passcode(again) == passcode else { throw .passcodeMismatch }
        guard try Passcode(confirm) == passcode else { throw .passcodeMismatch }
        return passcode
    }
}
