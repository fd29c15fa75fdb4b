import Foundation

/// Receives notifications from an `EventStream` once the server has attached it to a connection.
protocol EventStreamSink: AnyObject, Sendable {
    func eventStreamHasOutput(_ stream: EventStream)
}

/// A Server-Sent Events stream (WHATWG HTML §9.2) held open by the server.
///
/// Any thread may `send`; the event loop writes the queued bytes. The stream closes when the
/// handler calls `close()` or the client goes away; `onClose` callbacks then run exactly once.
// @unchecked: every mutable field is guarded by `lock`; the stream is shared between the
// handler's threads and the event loop by design.
public final class EventStream: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private var closed = false
    private var closeCallbacks: [@Sendable () -> Void] = []
    private var sink: (any EventStreamSink)?
    private var notified = false
    let configure: (@Sendable (EventStream) -> Void)?

    /// A detached stream (for tests); the server creates its own through `HTTPResponse.eventStream`.
    public convenience init() { self.init(configure: nil) }

    init(configure: (@Sendable (EventStream) -> Void)?) { self.configure = configure }

    /// Queues one event. Newlines in `data` become several `data:` lines; CR/LF are removed from
    /// `event` and `id` so they cannot forge fields. Returns false once the stream is closed.
    @discardableResult
    public func send(event: String? = nil, data: String, id: String? = nil) -> Bool {
        var bytes: [UInt8] = []
        if let event { Self.appendField("event", Self.singleLine(event), to: &bytes) }
        if let id { Self.appendField("id", Self.singleLine(id), to: &bytes) }
        let lines = data.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        for line in lines { Self.appendField("data", Substring(line), to: &bytes) }
        bytes.append(0x0A)
        return enqueue(bytes)
    }

    /// Queues an SSE comment line (used for heartbeats; ignored by clients).
    @discardableResult
    func sendComment(_ text: String) -> Bool {
        enqueue(Array((":" + text + "\n\n").utf8))
    }

    private func enqueue(_ bytes: [UInt8]) -> Bool {
        lock.lock()
        guard !closed else {
            lock.unlock()
            return false
        }
        pending.append(contentsOf: bytes)
        let target = notified ? nil : sink
        if target != nil { notified = true }
        lock.unlock()
        target?.eventStreamHasOutput(self)
        return true
    }

    /// Closes the stream from the handler side; queued events are still delivered.
    public func close() {
        lock.lock()
        guard !closed else {
            lock.unlock()
            return
        }
        closed = true
        let callbacks = closeCallbacks
        closeCallbacks = []
        let target = notified ? nil : sink
        if target != nil { notified = true }
        lock.unlock()
        target?.eventStreamHasOutput(self)
        for callback in callbacks { callback() }
    }

    public var isClosed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closed
    }

    /// Runs `callback` once when the stream closes for any reason (immediately if it already has).
    public func onClose(_ callback: @escaping @Sendable () -> Void) {
        lock.lock()
        if closed {
            lock.unlock()
            callback()
            return
        }
        closeCallbacks.append(callback)
        lock.unlock()
    }

    // MARK: Server side

    /// Connects the stream to the server; pending output is announced right away.
    func attach(_ newSink: any EventStreamSink) {
        lock.lock()
        sink = newSink
        let announce = !pending.isEmpty || closed
        if announce { notified = true }
        lock.unlock()
        if announce { newSink.eventStreamHasOutput(self) }
    }

    /// Takes the queued bytes; `closed` tells the loop to finish the response afterwards.
    func drain() -> (bytes: [UInt8], closed: Bool) {
        lock.lock()
        defer { lock.unlock() }
        notified = false
        let bytes = pending
        pending = []
        if closed { sink = nil }  // the loop has seen the end; drop the reference to it
        return (bytes, closed)
    }

    /// The peer went away (or the server is stopping): close and tell the handler.
    func closeFromServer() {
        lock.lock()
        sink = nil
        lock.unlock()
        close()
    }

    private static func singleLine(_ text: String) -> Substring {
        Substring(text.filter { $0 != "\n" && $0 != "\r" && $0 != "\r\n" })
    }

    private static func appendField(_ name: String, _ value: Substring, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: ": ".utf8)
        bytes.append(contentsOf: value.utf8)
        bytes.append(0x0A)
    }
}
