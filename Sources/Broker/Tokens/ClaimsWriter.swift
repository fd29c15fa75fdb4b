import JSON

/// Writes a JWT claim set straight into bytes: the hot path of the token endpoint signs one per
/// request, and building a `[String: JSONValue]` to sort and serialize would cost a dictionary
/// and its keys each time. Members appear in the order written; names are ASCII literals.
struct ClaimsWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int = 384) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    private mutating func name(_ name: StaticString) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func add(_ key: StaticString, _ value: String) {
        name(key)
        JSONValue.string(value).serialize(into: &bytes)
    }

    mutating func add(_ key: StaticString, _ value: Int64) {
        name(key)
        JSONValue.int(value).serialize(into: &bytes)
    }

    mutating func add(_ key: StaticString, _ values: [String]) {
        name(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.string(value).serialize(into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Extra members (released claims) whose names are not literals; names already written win.
    mutating func add(members: [String: JSONValue]) {
        for key in members.keys.sorted() {
            guard let value = members[key] else { continue }
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.string(key).serialize(into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            value.serialize(into: &bytes)
        }
    }

    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
