/// A JSON document value (RFC 8259).
///
/// Numbers written without a fraction or exponent that fit in `Int64` parse as `.int`; every
/// other number parses as `.double`. Objects are unordered; `serialized()` sorts keys so the
/// output is deterministic.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue: CustomStringConvertible {
    /// The compact serialization (`serializedString()`).
    public var description: String { serializedString() }
}
