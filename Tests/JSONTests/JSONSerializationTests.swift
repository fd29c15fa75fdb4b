import Testing
import JSON

struct SerializationCase: CustomTestStringConvertible, Sendable {
    let name: String
    let value: JSONValue
    let expected: String
    var testDescription: String { name }
}

@Suite("JSON serialization")
struct JSONSerializationTests {
    static let cases: [SerializationCase] = [
        .init(name: "literals", value: [nil, true, false], expected: "[null,true,false]"),
        .init(name: "Int64 bounds", value: [.int(.min), .int(.max), 0, -1],
              expected: "[-9223372036854775808,9223372036854775807,0,-1]"),
        .init(name: "doubles", value: [1.5, -0.25, 1e300], expected: "[1.5,-0.25,1e+300]"),
        .init(name: "non-finite doubles become null", value: [.double(.infinity), .double(.nan)],
              expected: "[null,null]"),
        .init(name: "keys sorted by bytes", value: ["b": 1, "a": 2, "B": 3, "é": 4, "aa": 5],
              expected: #"{"B":3,"a":2,"aa":5,"b":1,"é":4}"#),
        .init(name: "escapes quote, backslash and controls; not slash",
              value: "a\"b\\c/d\n\r\t\u{8}\u{C}\u{1}\u{1F}",
              expected: #""a\"b\\c/d\n\r\t\b\f\u0001\u001f""#),
        .init(name: "non-ASCII written as UTF-8", value: "ไทย😀", expected: "\"ไทย😀\""),
        .init(name: "nested compact", value: ["x": [1, ["y": "z"]], "e": [:], "f": []],
              expected: #"{"e":{},"f":[],"x":[1,{"y":"z"}]}"#),
    ]

    @Test("compact, deterministic output", arguments: cases)
    func serializes(_ testCase: SerializationCase) {
        #expect(testCase.value.serializedString() == testCase.expected)
        #expect(testCase.value.serialized() == Array(testCase.expected.utf8))
    }

    static let roundTrips: [JSONValue] = [
        nil, true, 0, .int(.max), .int(.min), 3.25, -1e-10, "", "\u{0}\u{7F}\u{FFFF}\u{10FFFF}",
        ["a": ["b": ["c": [1, 2.5, "three", nil, false]]]],
        .array((0..<100).map { .int($0) }),
    ]

    @Test("parse(serialize(v)) == v", arguments: roundTrips)
    func roundTrip(_ value: JSONValue) throws {
        #expect(try JSONValue(parsing: value.serialized()) == value)
    }

    @Test("serialization is independent of dictionary insertion order")
    func deterministic() throws {
        let first = try JSONValue(parsing: #"{"z":1,"y":2,"x":{"b":1,"a":2}}"#)
        let second = try JSONValue(parsing: #"{"x":{"a":2,"b":1},"y":2,"z":1}"#)
        #expect(first.serialized() == second.serialized())
        #expect(first.description == #"{"x":{"a":2,"b":1},"y":2,"z":1}"#)
    }
}

@Suite("JSON accessors")
struct JSONAccessorTests {
    @Test("typed accessors return only matching kinds")
    func accessors() {
        let object: JSONValue = ["s": "x", "i": 5, "d": 2.5, "w": 3.0, "b": true, "a": [1], "n": nil]
        #expect(object["s"]?.stringValue == "x")
        #expect(object["i"]?.intValue == 5)
        #expect(object["i"]?.doubleValue == 5)
        #expect(object["d"]?.intValue == nil)
        #expect(object["d"]?.doubleValue == 2.5)
        #expect(object["w"]?.intValue == 3)
        #expect(object["b"]?.boolValue == true)
        #expect(object["a"]?.arrayValue == [1])
        #expect(object["a"]?[0] == 1)
        #expect(object["a"]?[1] == nil)
        #expect(object["a"]?[-1] == nil)
        #expect(object["n"]?.isNull == true)
        #expect(object["missing"] == nil)
        #expect(object["s"]?.intValue == nil)
        #expect(object["i"]?.stringValue == nil)
        #expect(object.objectValue?.count == 7)
        #expect(JSONValue.string("x")["s"] == nil)
        #expect(JSONValue.double(1e300).intValue == nil)
        #expect(JSONValue.bool(true).isNull == false)
    }

    @Test("a repeated key in a literal keeps the last value")
    func literalDuplicates() {
        let value: JSONValue = ["a": 1, "a": 2]
        #expect(value["a"] == 2)
    }
}
