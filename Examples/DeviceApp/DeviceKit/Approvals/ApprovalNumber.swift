/// The number the citizen types from the login page (number matching): exactly two digits.
public struct ApprovalNumber: Sendable, Equatable {
    public let digits: String

    public init(_ text: String) throws(DeviceError) {
        let trimmed = text.trimmingSpaces
        guard trimmed.utf8.count == 2, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .usage("the number must be the two digits shown on the login page")
        }
        digits = trimmed
    }
}
