/// Why a query string, form body or path parameter could not be used.
public enum HTTPParameterError: Error, Sendable, Equatable {
    /// The parameter appeared more than once (RFC 6749 §3.1: "Request and response parameters
    /// MUST NOT be included more than once").
    case duplicate(String)
    /// Bad percent-escape or invalid UTF-8; the associated text says what.
    case malformed(String)
    /// `formParameters()` was called on a request that is not `application/x-www-form-urlencoded`.
    case wrongContentType
}

/// Decoded name/value pairs from a query string or an `application/x-www-form-urlencoded` body,
/// in their original order, with repeated names detectable.
public struct HTTPParameters: Sendable {
    public let pairs: [(name: String, value: String)]

    public init(pairs: [(String, String)]) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// The single value of `name`, nil if absent; throws `.duplicate(name)` if it is repeated.
    public func value(_ name: String) throws(HTTPParameterError) -> String? {
        var found: String?
        for pair in pairs where pair.name == name {
            if found != nil { throw .duplicate(name) }
            found = pair.value
        }
        return found
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        pairs.compactMap { $0.name == name ? $0.value : nil }
    }

    /// Distinct parameter names in order of first appearance.
    public var names: [String] {
        var seen = Set<String>()
        return pairs.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }

    /// Names that appear more than once, in order of first appearance.
    public var duplicatedNames: [String] {
        // Forms are usually tiny: comparing pairs beats hashing every name. Large (possibly
        // hostile) bodies hash, so the cost stays linear.
        guard pairs.count > 16 else {
            var repeated: [String] = []
            for (index, pair) in pairs.enumerated() where !repeated.contains(pair.name) {
                if pairs[(index + 1)...].contains(where: { $0.name == pair.name }) { repeated.append(pair.name) }
            }
            return repeated
        }
        var counts: [String: Int] = [:]
        for pair in pairs { counts[pair.name, default: 0] += 1 }
        return names.filter { counts[$0, default: 0] > 1 }
    }

    /// Parses `name=value&name=value` (WHATWG application/x-www-form-urlencoded).
    ///
    /// Empty segments are skipped; a segment without `=` has the empty value. Percent escapes must
    /// be `%` followed by two hex digits, and the decoded bytes must be valid UTF-8, otherwise
    /// `.malformed` is thrown. With `plusAsSpace`, `+` decodes to a space.
    public static func parse(
        urlEncoded: some Collection<UInt8>, plusAsSpace: Bool
    ) throws(HTTPParameterError) -> HTTPParameters {
        var result: [(name: String, value: String)] = []
        for segment in urlEncoded.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let name: String
            let value: String
            if let eq = segment.firstIndex(of: UInt8(ascii: "=")) {
                name = try percentDecode(segment[segment.startIndex..<eq], plusAsSpace: plusAsSpace)
                value = try percentDecode(segment[segment.index(after: eq)...], plusAsSpace: plusAsSpace)
            } else {
                name = try percentDecode(segment, plusAsSpace: plusAsSpace)
                value = ""
            }
            result.append((name: name, value: value))
        }
        return HTTPParameters(decodedPairs: result)
    }

    init(decodedPairs: [(name: String, value: String)]) { pairs = decodedPairs }
}

/// Strict percent-decoding (RFC 3986 §2.1) followed by UTF-8 validation.
func percentDecode(
    _ input: some Collection<UInt8>, plusAsSpace: Bool
) throws(HTTPParameterError) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(input.count)
    var index = input.startIndex
    while index != input.endIndex {
        let byte = input[index]
        if byte == UInt8(ascii: "%") {
            let first = input.index(after: index)
            guard first != input.endIndex else { throw .malformed("truncated percent-escape") }
            let second = input.index(after: first)
            guard second != input.endIndex,
                let high = hexValue(input[first]), let low = hexValue(input[second])
            else { throw .malformed("invalid percent-escape") }
            bytes.append(high << 4 | low)
            index = input.index(after: second)
            continue
        }
        bytes.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
        index = input.index(after: index)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
        throw .malformed("invalid UTF-8")
    }
    return text
}

@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
