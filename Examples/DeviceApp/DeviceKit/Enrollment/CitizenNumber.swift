/// A Thai 13-digit citizen identification number, checked on the device before anything is sent.
///
/// Check digit (the 13th): weights 13…2 over the first 12 digits, then
/// check = (11 − sum mod 11) mod 10. The broker checks again; this only spares a round trip.
public struct CitizenNumber: Sendable, Hashable {
    /// The 13 ASCII digits.
    public let digits: String

    /// Accepts exactly 13 ASCII digits whose check digit is right; surrounding spaces are
    /// dropped (a typed answer), nothing else is forgiven.
    public init(_ text: String) throws(DeviceError) {
        let trimmed = text.trimmingSpaces
        let bytes = Array(trimmed.utf8)
        guard bytes.count == 13, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw .invalidCitizenID }
        let values = bytes.map { Int($0 - 0x30) }
        var sum = 0
        for index in 0..<12 { sum += values[index] * (13 - index) }
        guard (11 - sum % 11) % 10 == values[12] else { throw .invalidCitizenID }
        digits = trimmed
    }

    /// All but the last four digits hidden: the only form ever printed.
    public var masked: String { Self.mask(digits) }

    /// Masks any stored citizen ID the same way, even one that no longer parses.
    public static func mask(_ text: String) -> String {
        String(repeating: "*", count: max(0, text.count - 4)) + text.suffix(4)
    }
}
