/// A Thai 13-digit citizen identification number, checked for its check digit.
///
/// The check digit is the last digit: weights 13…2 over the first 12 digits, then
/// check = (11 − sum mod 11) mod 10.
public struct CitizenID: Sendable, Hashable, CustomStringConvertible {
    public let digits: String

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 13, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let values = bytes.map { Int($0 - 0x30) }
        var sum = 0
        for index in 0..<12 { sum += values[index] * (13 - index) }
        guard (11 - sum % 11) % 10 == values[12] else { return nil }
        digits = text
    }

    public var description: String { digits }

    /// Masks all but the last four digits, for logs and pages seen by third parties.
    public var masked: String { String(repeating: "•", count: 9) + digits.suffix(4) }

    /// Parses or throws the contract's `invalid_citizen_id`.
    public static func parse(_ text: String?) throws(OAuthError) -> CitizenID {
        guard let text else { throw .invalidCitizenID("citizen_id is required") }
        guard let id = CitizenID(text) else {
            throw .invalidCitizenID("citizen_id must be 13 digits with a valid check digit")
        }
        return id
    }

    /// Builds a valid ID from 12 leading digits (tests, demos).
    public static func completing(_ first12: String) -> CitizenID? {
        let values = first12.utf8.map { Int($0) - 0x30 }
        guard values.count == 12, values.allSatisfy({ (0...9).contains($0) }) else { return nil }
        var sum = 0
        for index in 0..<12 { sum += values[index] * (13 - index) }
        return CitizenID(first12 + String((11 - sum % 11) % 10))
    }
}
