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
    @inlinable
    func asciiCaseInsensitiveEquals(_ other: String) -> Bool {
        var lhs = self.utf8.makeIterator()
        var rhs = other.utf8.makeIterator()
        while true {
            switch (lhs.next(), rhs.next()) {
            case (nil, nil): return true
            case let (a?, b?):
                if a == b { continue }
                let la = (a >= 0x41 && a <= 0x5A) ? a | 0x20 : a
                let lb = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
                if la != lb { return false }
            default: return false
            }
        }
    }
}
