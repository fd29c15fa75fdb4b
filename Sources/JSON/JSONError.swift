/// Why a document was refused, and at which byte offset of the input.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A short human-readable reason, e.g. "duplicate object key".
    public let message: String
    /// Zero-based byte offset in the input where the problem was detected.
    public let offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "JSON error at byte \(offset): \(message)" }
}
