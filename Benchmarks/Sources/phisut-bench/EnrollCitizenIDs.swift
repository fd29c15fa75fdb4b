/// Distinct, checksum-valid Thai citizen IDs for one run of `phisut-bench enroll`.
///
/// The first digit is 1–8 (the registration categories in use), the next eleven are
/// `start + index` modulo 10^11 for a random `start` chosen per run, so IDs never repeat within a
/// run (up to 10^11 of them) and rarely collide with an earlier run against the same database.
struct EnrollCitizenIDs: Sendable {
    let category: Int
    let start: UInt64

    static let span: UInt64 = 100_000_000_000   // 10^11: the eleven varying digits

    init() {
        var generator = SystemRandomNumberGenerator()
        category = Int.random(in: 1...8, using: &generator)
        start = UInt64.random(in: 0..<Self.span, using: &generator)
    }

    /// The `index`-th ID of this run: 13 digits, the last one the check digit.
    func id(_ index: Int) -> String {
        var digits = [Int](repeating: 0, count: 13)
        digits[0] = category
        var rest = (start &+ UInt64(index)) % Self.span
        for position in stride(from: 11, through: 1, by: -1) {
            digits[position] = Int(rest % 10)
            rest /= 10
        }
        digits[12] = Self.checkDigit(digits[0..<12])
        return String(decoding: digits.map { UInt8(ascii: "0") + UInt8($0) }, as: UTF8.self)
    }

    /// Weights 13…2 over the first twelve digits; check = (11 − sum mod 11) mod 10.
    static func checkDigit(_ first12: ArraySlice<Int>) -> Int {
        var sum = 0
        for (offset, digit) in first12.enumerated() { sum += digit * (13 - offset) }
        return (11 - sum % 11) % 10
    }
}
