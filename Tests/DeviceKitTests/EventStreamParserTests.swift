import DeviceKit
import Testing

@Suite("text/event-stream parsing (WHATWG HTML §9.2.6)")
struct EventStreamParserTests {
    static let request = #"{"request_id":"req_1","client_name":"Counter Desk"}"#

    /// Feeds `pieces` one after another and collects every event.
    static func parse(_ pieces: [[UInt8]]) throws -> [ServerSentEvent] {
        var parser = EventStreamParser()
        var events: [ServerSentEvent] = []
        for piece in pieces { events += try parser.feed(piece) }
        return events
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let stream: String
        let expected: [ServerSentEvent]
    }

    static let cases: [Case] = [
        Case(testDescription: "a named event with an id", stream: "event: request\nid: req_1\ndata: \(request)\n\n",
             expected: [ServerSentEvent(name: "request", data: request, lastEventID: "req_1")]),
        Case(testDescription: "heartbeat comments between events are ignored",
             stream: ":heartbeat\n\nevent: request\n:inside\ndata: a\n\n:heartbeat\n\n",
             expected: [ServerSentEvent(name: "request", data: "a")]),
        Case(testDescription: "several data lines join with LF", stream: "data: one\ndata:two\ndata\n\n",
             expected: [ServerSentEvent(data: "one\ntwo\n")]),
        Case(testDescription: "CRLF and lone CR end lines too", stream: "event: request\r\ndata: x\r\r",
             expected: [ServerSentEvent(name: "request", data: "x")]),
        Case(testDescription: "an event without data is not dispatched, its name does not leak",
             stream: "event: request\n\ndata: y\n\n", expected: [ServerSentEvent(data: "y")]),
        Case(testDescription: "unknown fields and a bad retry are ignored", stream: "foo: bar\nretry: 1x\ndata: z\n\n",
             expected: [ServerSentEvent(data: "z")]),
        Case(testDescription: "a leading BOM is skipped", stream: "\u{FEFF}data: b\n\n", expected: [ServerSentEvent(data: "b")]),
        Case(testDescription: "an unfinished event at the end is not dispatched", stream: "data: a\n\ndata: b\n",
             expected: [ServerSentEvent(data: "a")]),
        Case(testDescription: "the id persists to later events", stream: "id: 7\ndata: a\n\ndata: b\n\n",
             expected: [ServerSentEvent(data: "a", lastEventID: "7"), ServerSentEvent(data: "b", lastEventID: "7")]),
    ]

    @Test("whole streams", arguments: cases)
    func whole(_ example: Case) throws {
        #expect(try Self.parse([Array(example.stream.utf8)]) == example.expected)
    }

    @Test("the same events whichever byte a read ends at", arguments: cases)
    func split(_ example: Case) throws {
        let bytes = Array(example.stream.utf8)
        for cut in 0...bytes.count {
            #expect(try Self.parse([Array(bytes[..<cut]), Array(bytes[cut...])]) == example.expected, "cut at \(cut)")
        }
        #expect(try Self.parse(bytes.map { [$0] }) == example.expected, "one byte per read")
    }

    @Test("a CR at the end of one read and the LF at the start of the next are one line end")
    func crlfAcrossReads() throws {
        var parser = EventStreamParser()
        #expect(try parser.feed(Array("data: a\r".utf8)).isEmpty)
        // Were the LF a second line end, this blank line would dispatch here already.
        #expect(try parser.feed(Array("\ndata: b\r".utf8)).isEmpty)
        #expect(try parser.feed(Array("\n\r\n".utf8)) == [ServerSentEvent(data: "a\nb")])
    }

    @Test("retry is kept for the reconnection delay")
    func retry() throws {
        var parser = EventStreamParser()
        _ = try parser.feed(Array("retry: 2500\n\n".utf8))
        #expect(parser.retryMilliseconds == 2500)
    }

    @Test("a line or an event past the bound throws instead of growing", arguments: [
        String(repeating: "x", count: 200), "data: " + String(repeating: "y", count: 60) + "\n" + "data: " + String(repeating: "y", count: 60) + "\n",
    ])
    func bounded(_ stream: String) {
        var parser = EventStreamParser(maximumLength: 100)
        #expect(throws: DeviceError.self) { _ = try parser.feed(Array(stream.utf8)) }
    }
}
