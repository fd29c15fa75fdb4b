import Testing
@testable import HTTP

@Suite("Chunked transfer coding (RFC 9112 §7.1)")
struct ChunkedDecoderTests {
    /// Decodes `input` fed in pieces of `step` bytes; returns body and bytes consumed.
    static func decode(_ input: String, step: Int = .max, maxBody: Int = 1 << 20) throws(HTTPParseError) -> (String, Int, Bool) {
        var decoder = ChunkedDecoder(maxBodyBytes: maxBody, maxTrailerBytes: 1024)
        var body: [UInt8] = []
        let bytes = Array(input.utf8)
        var offset = 0
        while offset < bytes.count && !decoder.isComplete {
            let end = min(bytes.count, offset + step)
            let consumed = try bytes.withUnsafeBufferPointer { all throws(HTTPParseError) in
                try decoder.decode(UnsafeBufferPointer(rebasing: all[offset..<end]), into: &body)
            }
            offset += consumed
            if consumed == 0 { break }
        }
        return (String(decoding: body, as: UTF8.self), offset, decoder.isComplete)
    }

    @Test("decodes in any split", arguments: [1, 2, 3, 7, 1000])
    func decodesSplit(step: Int) throws {
        let (body, consumed, complete) = try Self.decode("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT", step: step)
        #expect(body == "hello world")
        #expect(complete)
        #expect(consumed == "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n".utf8.count)
    }

    @Test func uppercaseHex() throws {
        #expect(try Self.decode("A\r\n0123456789\r\n0\r\n\r\n").0 == "0123456789")
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let error: HTTPParseError
        var testDescription: String { name }
    }

    @Test("rejects", arguments: [
        Bad(name: "non-hex size", input: "g\r\n", error: .badRequest("invalid chunk size")),
        Bad(name: "empty size", input: "\r\n", error: .badRequest("invalid chunk size")),
        Bad(name: "negative size", input: "-1\r\n", error: .badRequest("invalid chunk size")),
        Bad(name: "16 hex digits", input: "1000000000000000\r\n", error: .badRequest("chunk size too long")),
        Bad(name: "bare LF after size", input: "5\nhello", error: .badRequest("invalid chunk size")),
        Bad(name: "data longer than size", input: "2\r\nabc\r\n", error: .badRequest("chunk data longer than its size")),
        Bad(name: "huge extension", input: "1;" + String(repeating: "x", count: 400) + "\r\n", error: .badRequest("chunk size line too long")),
        Bad(name: "control byte in extension", input: "1;\u{1}\r\n", error: .badRequest("invalid chunk extension")),
        Bad(name: "body over the limit", input: "400\r\n", error: .bodyTooLarge),
        Bad(name: "folded trailer", input: "0\r\n x\r\n\r\n", error: .badRequest("obsolete line folding in trailer")),
        Bad(name: "bare CR at end", input: "0\r\n\rx", error: .badRequest("bare CR at end of chunked body")),
    ])
    func rejects(_ bad: Bad) {
        #expect(throws: bad.error) { try Self.decode(bad.input, maxBody: 100) }
    }

    @Test func bodyLimitIsEnforcedAcrossChunks() {
        #expect(throws: HTTPParseError.bodyTooLarge) { try Self.decode("32\r\n" + String(repeating: "a", count: 50) + "\r\n33\r\n", maxBody: 100) }
    }
}
