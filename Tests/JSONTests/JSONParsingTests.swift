import Testing
import JSON

struct ValidCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let expected: JSONValue
    var testDescription: String { name }
}

struct InvalidCase: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    let offset: Int?
    init(_ name: String, _ text: String, offset: Int? = nil) {
        self.name = name
        self.bytes = Array(text.utf8)
        self.offset = offset
    }
    init(_ name: String, bytes: [UInt8], offset: Int? = nil) {
        self.name = name
        self.bytes = bytes
        self.offset = offset
    }
    var testDescription: String { name }
}

@Suite("JSON parsing (RFC 8259)")
struct JSONParsingTests {
    static let valid: [ValidCase] = [
        .init(name: "null", text: "null", expected: .null),
        .init(name: "true with whitespace", text: " \t\r\ntrue\n", expected: .bool(true)),
        .init(name: "false", text: "false", expected: .bool(false)),
        .init(name: "zero", text: "0", expected: .int(0)),
        .init(name: "negative zero is an int", text: "-0", expected: .int(0)),
        .init(name: "small int", text: "42", expected: .int(42)),
        .init(name: "negative int", text: "-17", expected: .int(-17)),
        .init(name: "Int64.max", text: "9223372036854775807", expected: .int(.max)),
        .init(name: "Int64.min", text: "-9223372036854775808", expected: .int(.min)),
        .init(name: "Int64.max + 1 becomes double", text: "9223372036854775808",
              expected: .double(9223372036854775808.0)),
        .init(name: "Int64.min - 1 becomes double", text: "-9223372036854775809",
              expected: .double(-9223372036854775809.0)),
        .init(name: "fraction", text: "1.5", expected: .double(1.5)),
        .init(name: "exponent makes a double", text: "1e3", expected: .double(1000)),
        .init(name: "signed exponent", text: "-2.5E-2", expected: .double(-0.025)),
        .init(name: "plus exponent", text: "1E+2", expected: .double(100)),
        .init(name: "zero fraction", text: "0.0", expected: .double(0)),
        .init(name: "empty string", text: "\"\"", expected: .string("")),
        .init(name: "plain string", text: "\"abc\"", expected: .string("abc")),
        .init(name: "all short escapes", text: #""\"\\\/\b\f\n\r\t""#, expected: .string("\"\\/\u{8}\u{C}\n\r\t")),
        .init(name: "unicode escape", text: #""\u00e9\u0041""#, expected: .string("éA")),
        .init(name: "surrogate pair escape", text: #""\ud83d\ude00""#, expected: .string("😀")),
        .init(name: "raw UTF-8", text: "\"สวัสดี😀\"", expected: .string("สวัสดี😀")),
        .init(name: "escape after UTF-8", text: "\"é\\n\"", expected: .string("é\n")),
        .init(name: "DEL is allowed raw", text: "\"\u{7F}\"", expected: .string("\u{7F}")),
        .init(name: "empty array", text: "[]", expected: .array([])),
        .init(name: "empty object", text: "{ }", expected: .object([:])),
        .init(name: "nested", text: #"{"a":[1,{"b":null}],"c":"d"}"#,
              expected: ["a": [1, ["b": nil]], "c": "d"]),
        .init(name: "whitespace everywhere", text: " [ 1 , { \"k\" : true } ] ",
              expected: [1, ["k": true]]),
        .init(name: "two members",
              text: #"{"a":1,"b":2}"#, expected: ["a": 1, "b": 2]),
    ]

    @Test("valid documents", arguments: valid)
    func parsesValid(_ testCase: ValidCase) throws {
        let value = try JSONValue(parsing: testCase.text)
        #expect(value == testCase.expected)
    }

    static let invalid: [InvalidCase] = [
        .init("empty input", "", offset: 0),
        .init("only whitespace", "  ", offset: 2),
        .init("trailing comma in array", "[1,]", offset: 3),
        .init("trailing comma in object", #"{"a":1,}"#, offset: 7),
        .init("leading zero", "01", offset: 1),
        .init("negative leading zero", "-01", offset: 2),
        .init("bare minus", "-", offset: 1),
        .init("plus sign", "+1", offset: 0),
        .init("dot without digits", "1.", offset: 2),
        .init("leading dot", ".5", offset: 0),
        .init("exponent without digits", "1e", offset: 2),
        .init("exponent sign without digits", "1e+", offset: 3),
        .init("number too large for double", "1e400", offset: 0),
        .init("NaN literal", "NaN", offset: 0),
        .init("Infinity literal", "Infinity", offset: 0),
        .init("trailing garbage", "true x", offset: 5),
        .init("two documents", "{} {}", offset: 3),
        .init("truncated literal", "tru", offset: 0),
        .init("misspelled literal", "nul1", offset: 3),
        .init("capitalised literal", "True", offset: 0),
        .init("unterminated string", "\"abc", offset: 4),
        .init("unterminated string after escape", "\"a\\n", offset: 4),
        .init("raw newline in string", "\"a\nb\"", offset: 2),
        .init("raw tab in string", "\"a\tb\"", offset: 2),
        .init("raw NUL in string", bytes: [0x22, 0x00, 0x22], offset: 1),
        .init("invalid escape", #""\x""#, offset: 1),
        .init("short unicode escape", #""\u12""#),
        .init("bad hex in unicode escape", #""\u12g4""#),
        .init("lone high surrogate", #""\ud800""#, offset: 1),
        .init("high surrogate then letter", #""\ud800x""#, offset: 1),
        .init("high surrogate then non-low escape", #""\ud800\u0041""#, offset: 1),
        .init("lone low surrogate", #""\udc00""#, offset: 1),
        .init("invalid UTF-8 continuation", bytes: [0x22, 0xC3, 0x28, 0x22], offset: 1),
        .init("overlong UTF-8", bytes: [0x22, 0xC0, 0xAF, 0x22], offset: 1),
        .init("overlong 3-byte UTF-8", bytes: [0x22, 0xE0, 0x80, 0xAF, 0x22], offset: 1),
        .init("UTF-8 encoded surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], offset: 1),
        .init("UTF-8 above U+10FFFF", bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], offset: 1),
        .init("truncated UTF-8 at end", bytes: [0x22, 0xE2, 0x82], offset: 1),
        .init("stray continuation byte", bytes: [0x22, 0x80, 0x22], offset: 1),
        .init("invalid UTF-8 after escape", bytes: [0x22, 0x5C, 0x6E, 0xFF, 0x22], offset: 3),
        .init("duplicate key", #"{"a":1,"a":2}"#, offset: 7),
        .init("duplicate key via escape", #"{"a":1,"\u0061":2}"#, offset: 7),
        .init("single quotes", "{'a':1}", offset: 1),
        .init("unquoted key", "{a:1}", offset: 1),
        .init("missing colon", #"{"a" 1}"#, offset: 5),
        .init("missing comma", "[1 2]", offset: 3),
        .init("unterminated array", "[1", offset: 2),
        .init("unterminated object", #"{"a":1"#, offset: 6),
        .init("comment", "[1 /* c */]", offset: 3),
        .init("byte order mark", bytes: [0xEF, 0xBB, 0xBF, 0x31], offset: 0),
        .init("non-JSON whitespace (form feed)", bytes: [0x0C, 0x31], offset: 0),
    ]

    @Test("invalid documents are refused with an offset", arguments: invalid)
    func refusesInvalid(_ testCase: InvalidCase) {
        let error = #expect(throws: JSONError.self) { try JSONValue(parsing: testCase.bytes) }
        if let expected = testCase.offset {
            #expect(error?.offset == expected, "\(error?.description ?? "")")
        }
    }

    @Test("nesting is limited to 64 by default")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try JSONValue(parsing: ok).arrayValue != nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONError.self) { try JSONValue(parsing: tooDeep) }
        let objects = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(throws: JSONError.self) { try JSONValue(parsing: objects) }
    }

    @Test("a hostile 100k-deep document is refused, not a stack overflow")
    func hostileDepth() {
        let bomb = String(repeating: "[", count: 100_000)
        #expect(throws: JSONError.self) { try JSONValue(parsing: bomb) }
    }

    @Test("the depth limit is configurable")
    func configurableDepth() throws {
        #expect(throws: JSONError.self) { try JSONValue(parsing: Array("[[1]]".utf8), maxDepth: 1) }
        #expect(try JSONValue(parsing: Array("[[1]]".utf8), maxDepth: 2) == [[1]])
        #expect(try JSONValue(parsing: Array("7".utf8), maxDepth: 0) == 7)
    }

    @Test("non-contiguous collections parse too")
    func nonContiguousInput() throws {
        let bytes = Array(#"{"k":[true]}"#.utf8).lazy.map { $0 }
        #expect(try JSONValue(parsing: bytes) == ["k": [true]])
        let slice = Array(#"xx[1,2]yy"#.utf8)[2..<7]
        #expect(try JSONValue(parsing: slice) == [1, 2])
    }

    @Test("error description names the offset")
    func errorDescription() {
        let error = JSONError(message: "duplicate object key", offset: 7)
        #expect(error.description == "JSON error at byte 7: duplicate object key")
    }
}
