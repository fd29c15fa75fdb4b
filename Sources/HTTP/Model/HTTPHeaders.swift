/// An ordered list of header fields with case-insensitive names (RFC 9110 §5.1).
///
/// Order and duplicates are preserved exactly as received or added; lookups compare names
/// ASCII-case-insensitively without allocating.
public struct HTTPHeaders: Sendable, Sequence {
    @usableFromInline var fields: [(name: String, value: String)]

    public init() { fields = [] }

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// The first value for `name`; setting replaces every field of that name (nil removes them).
    public subscript(name: String) -> String? {
        get {
            for field in fields where field.name.asciiCaseInsensitiveEquals(name) { return field.value }
            return nil
        }
        set {
            remove(name)
            if let newValue { fields.append((name: name, value: newValue)) }
        }
    }

    /// Every value for `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.compactMap { $0.name.asciiCaseInsensitiveEquals(name) ? $0.value : nil }
    }

    /// Appends a field, keeping any existing ones of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Removes every field named `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.asciiCaseInsensitiveEquals(name) }
    }

    /// Whether at least one field named `name` is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name.asciiCaseInsensitiveEquals(name) }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> some IteratorProtocol<(name: String, value: String)> {
        fields.makeIterator()
    }
}

extension String {
    /// Compares two strings ASCII-case-insensitively, byte by byte (header names are ASCII tokens).
    /// Native strings compare in place; the length check first rejects most names at once.
    @inlinable
    func asciiCaseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        if let result = utf8.withContiguousStorageIfAvailable({ lhs in
            other.utf8.withContiguousStorageIfAvailable { rhs in asciiCaseInsensitiveEqualBytes(lhs, rhs) }
        }), let result { return result }
        return asciiCaseInsensitiveEqualBytes(utf8, other.utf8)
    }
}

/// Equal lengths assumed; ASCII letters compare case-insensitively, everything else exactly.
@inlinable
func asciiCaseInsensitiveEqualBytes<L: Collection<UInt8>, R: Collection<UInt8>>(_ lhs: L, _ rhs: R) -> Bool {
    var rhsIndex = rhs.startIndex
    for a in lhs {
        let b = rhs[rhsIndex]
        rhs.formIndex(after: &rhsIndex)
        if a == b { continue }
        // Only letters may differ, and only by the 0x20 case bit.
        guard a ^ b == 0x20 else { return false }
        let lower = a | 0x20
        guard lower >= 0x61 && lower <= 0x7A else { return false }
    }
    return true
}
