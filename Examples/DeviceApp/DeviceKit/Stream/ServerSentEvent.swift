/// One event of a `text/event-stream` (WHATWG HTML §9.2.6, "dispatch the event").
public struct ServerSentEvent: Sendable, Equatable {
    /// The `event` field, or "message" when the event named none.
    public var name: String
    /// The `data` lines joined with "\n".
    public var data: String
    /// The last `id` seen on the stream so far (the spec's "last event ID buffer").
    public var lastEventID: String

    public init(name: String = "message", data: String, lastEventID: String = "") {
        self.name = name
        self.data = data
        self.lastEventID = lastEventID
    }
}
