/// Incremental parser for a `text/event-stream` body (WHATWG HTML §9.2.6): feed it bytes as
/// they arrive, in pieces of any size, and it returns the events completed so far.
///
/// Lines end in CR, LF or CRLF — a CR at the end of one read and the LF at the start of the next
/// are one line end. Lines starting with ":" are comments (the broker's heartbeats); `data`
/// lines accumulate, joined by "\n"; a blank line dispatches; an event with no data is dropped,
/// as the spec says. A UTF-8 BOM at the very start is skipped. `retry` is kept for the caller's
/// reconnection delay. A line or an event's data longer than `maximumLength` (a hostile or
/// broken broker) throws instead of growing without bound.
public struct EventStreamParser: Sendable {
    public let maximumLength: Int
    /// The last valid `retry` field in milliseconds, if any.
    public private(set) var retryMilliseconds: Int?

    private var line: [UInt8] = []
    private var lastWasCR = false
    private var firstLine = true
    private var eventName = ""
    private var data: [UInt8] = []
    private var hasData = false
    private var lastEventID = ""

    public init(maximumLength: Int = 64 * 1024) {
        self.maximumLength = maximumLength
    }

    /// Parses `bytes` and returns every event they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(DeviceError) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            switch byte {
            case 0x0A where lastWasCR:
                lastWasCR = false
            case 0x0A, 0x0D:
                lastWasCR = byte == 0x0D
                try endLine(into: &events)
            default:
                lastWasCR = false
                guard line.count < maximumLength else { throw Self.tooLong(maximumLength) }
                line.append(byte)
            }
        }
        return events
    }

    private static func tooLong(_ limit: Int) -> DeviceError {
        .unexpectedResponse("an event-stream line or event longer than \(limit) bytes")
    }

    private mutating func endLine(into events: inout [ServerSentEvent]) throws(DeviceError) {
        defer { line.removeAll(keepingCapacity: true) }
        if firstLine {
            firstLine = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line.first == UInt8(ascii: ":") { return }
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "event":
            eventName = String(decoding: value, as: UTF8.self)
        case "data":
            guard data.count + value.count < maximumLength else { throw Self.tooLong(maximumLength) }
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.count <= 9, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                retryMilliseconds = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break  // §9.2.6: other fields are ignored
        }
    }

    private mutating func dispatch(into events: inout [ServerSentEvent]) {
        defer {
            eventName = ""
            data = []
            hasData = false
        }
        guard hasData else { return }
        events.append(ServerSentEvent(name: eventName.isEmpty ? "message" : eventName,
                                      data: String(decoding: data, as: UTF8.self), lastEventID: lastEventID))
    }
}
