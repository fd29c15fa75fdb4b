/// Limits and timeouts the connection state machine enforces (a subset of the server configuration).
package struct HTTPConnectionLimits: Sendable {
    package var maxHeaderBytes = 16 * 1024
    package var maxBodyBytes = 1 << 20
    package var headerTimeout: Double = 10
    package var bodyTimeout: Double = 30
    package var idleTimeout: Double = 60

    package init() {}
}

/// The protocol logic of one HTTP/1.1 connection, free of sockets and clocks: feed it bytes and
/// the time, ask it what to do next. The event loop only carries out the actions.
///
/// Requests are handed out one at a time; the next pipelined request is parsed only after
/// `responseQueued` so answers are always in request order.
package struct HTTPConnectionStateMachine: Sendable {
    package enum Action: Sendable {
        /// Nothing to do until more bytes arrive (or the response is queued).
        case needMore
        /// Write `HTTP/1.1 100 Continue` before the body arrives.
        case sendContinue
        /// A complete request: answer it, then call `responseQueued`.
        case dispatch(HTTPRequestHead, body: [UInt8])
        /// Answer with this error and close.
        case reject(HTTPParseError)
        /// Close without answering.
        case close
    }

    private enum State: Sendable {
        case idle
        case head
        case body(HTTPRequestHead, remaining: Int)
        case chunked(HTTPRequestHead, ChunkedDecoder)
        case awaitingResponse(keepAlive: Bool)
        case streaming
        case closed
    }

    let limits: HTTPConnectionLimits
    private var state = State.idle
    /// Received, not yet consumed bytes start at `readIndex`; released when drained so an idle
    /// connection holds no buffer.
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var scanIndex = 0
    private var phaseDeadline: Double
    private var body: [UInt8] = []
    private var peerHalfClosed = false
    /// Set during graceful shutdown: finish the current exchange, then close.
    package private(set) var closeAfterResponse = false

    package init(limits: HTTPConnectionLimits, now: Double) {
        self.limits = limits
        phaseDeadline = now + limits.idleTimeout
    }

    /// True when no request is in progress and nothing is buffered (safe to close on shutdown).
    package var isIdle: Bool {
        if case .idle = state { return readIndex == buffer.count }
        return false
    }

    package var isStreaming: Bool { if case .streaming = state { true } else { false } }

    /// Bytes received but not consumed yet.
    package var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether the loop should keep reading: not while a response is pending with a full buffer
    /// (back-pressure on pipelining clients), never once closed.
    package var wantsRead: Bool {
        switch state {
        case .closed: false
        case .awaitingResponse: bufferedByteCount < limits.maxHeaderBytes
        default: true
        }
    }

    /// When the current phase times out: idle keep-alive, headers (from the first byte), or body.
    package var deadline: Double? {
        switch state {
        case .idle, .head, .body, .chunked: phaseDeadline
        case .awaitingResponse, .streaming, .closed: nil
        }
    }

    package mutating func received(_ bytes: UnsafeRawBufferPointer, now: Double) {
        guard !bytes.isEmpty else { return }
        switch state {
        case .closed:
            return
        case .streaming:
            return  // an event-stream client has nothing more to say; ignore it
        case .idle:
            // RFC 9112 §2.2: ignore empty lines before a request-line (bounded by the buffer limit).
            state = .head
            phaseDeadline = now + limits.headerTimeout
        default:
            break
        }
        if readIndex > 0, readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
            scanIndex = 0
        }
        buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
    }

    /// The peer closed its sending side.
    package mutating func peerClosed() -> Action {
        peerHalfClosed = true
        switch state {
        case .awaitingResponse: return .needMore
        default:
            state = .closed
            return .close
        }
    }

    /// The loop queued the response to the dispatched request; `close` if it must be the last.
    package mutating func responseQueued(close: Bool, now: Double) -> Action {
        guard case .awaitingResponse(let keepAlive) = state else { return .needMore }
        if close || !keepAlive || peerHalfClosed || closeAfterResponse {
            state = .closed
            return .close
        }
        state = .idle
        phaseDeadline = now + limits.idleTimeout
        if readIndex < buffer.count {
            state = .head
            phaseDeadline = now + limits.headerTimeout
        }
        return .needMore
    }

    /// The response turned into an event stream; the connection ends with it.
    package mutating func streamStarted() {
        state = .streaming
        buffer = []
        readIndex = 0
        scanIndex = 0
    }

    /// Graceful shutdown: idle connections close now, busy ones after their response.
    package mutating func beginShutdown() -> Action {
        closeAfterResponse = true
        if case .idle = state {
            state = .closed
            return .close
        }
        return .needMore
    }

    /// Called at or after `deadline`; any phase timeout closes the connection silently.
    package mutating func timeoutFired(now: Double) -> Action {
        guard let deadline, now >= deadline else { return .needMore }
        state = .closed
        buffer = []
        return .close
    }

    /// Advances parsing as far as the buffered bytes allow.
    package mutating func nextAction(now: Double) -> Action {
        while true {
            switch state {
            case .closed:
                return .close
            case .idle, .awaitingResponse, .streaming:
                releaseBufferIfDrained()
                return .needMore
            case .head:
                switch scanHead() {
                case .incomplete:
                    if bufferedByteCount > limits.maxHeaderBytes { return reject(.headersTooLarge) }
                    return .needMore
                case .failed(let error):
                    return reject(error)
                case .complete(let headEnd):
                    let head: HTTPRequestHead
                    do {
                        head = try buffer.withUnsafeBufferPointer { all throws(HTTPParseError) in
                            try HTTPRequestHead.parse(
                                UnsafeBufferPointer(rebasing: all[readIndex..<headEnd]), maxBodyBytes: limits.maxBodyBytes)
                        }
                    } catch {
                        return reject(error)
                    }
                    readIndex = headEnd + 4
                    scanIndex = readIndex
                    body = []
                    switch head.framing {
                    case .none:
                        return dispatch(head)
                    case .length(let length):
                        state = .body(head, remaining: length)
                    case .chunked:
                        state = .chunked(head, ChunkedDecoder(maxBodyBytes: limits.maxBodyBytes, maxTrailerBytes: limits.maxHeaderBytes))
                    }
                    phaseDeadline = now + limits.bodyTimeout
                    if head.expectContinue && readIndex == buffer.count { return .sendContinue }
                }
            case .body(let head, let remaining):
                let available = bufferedByteCount
                guard available >= remaining else { return .needMore }
                body = Array(buffer[readIndex..<(readIndex + remaining)])
                readIndex += remaining
                scanIndex = readIndex
                return dispatch(head)
            case .chunked(let head, var decoder):
                guard readIndex < buffer.count else { return .needMore }
                do {
                    let consumed = try buffer.withUnsafeBufferPointer { all throws(HTTPParseError) in
                        try decoder.decode(UnsafeBufferPointer(rebasing: all[readIndex...]), into: &body)
                    }
                    readIndex += consumed
                    scanIndex = readIndex
                } catch {
                    return reject(error)
                }
                if decoder.isComplete { return dispatch(head) }
                state = .chunked(head, decoder)
                return .needMore
            }
        }
    }

    private mutating func dispatch(_ head: HTTPRequestHead) -> Action {
        state = .awaitingResponse(keepAlive: head.keepAlive)
        let requestBody = body
        body = []
        releaseBufferIfDrained()
        return .dispatch(head, body: requestBody)
    }

    private mutating func reject(_ error: HTTPParseError) -> Action {
        state = .closed
        buffer = []
        readIndex = 0
        return .reject(error)
    }

    private mutating func releaseBufferIfDrained() {
        if readIndex == buffer.count, !buffer.isEmpty || buffer.capacity > 0 {
            buffer = []
            readIndex = 0
            scanIndex = 0
        }
    }

    private enum HeadScan { case incomplete, complete(Int), failed(HTTPParseError) }

    /// Looks for CRLF CRLF from where the last scan stopped; rejects a bare LF or bare CR early
    /// so a client cannot park a connection with ambiguous line ends. Leading empty lines are
    /// skipped (RFC 9112 §2.2).
    private mutating func scanHead() -> HeadScan {
        buffer.withUnsafeBufferPointer { bytes in
            while readIndex + 1 < bytes.count, bytes[readIndex] == 0x0D, bytes[readIndex + 1] == 0x0A {
                readIndex += 2
            }
            if scanIndex < readIndex { scanIndex = readIndex }
            let limit = min(bytes.count, readIndex + limits.maxHeaderBytes + 4)
            var index = scanIndex
            while index < limit {
                let byte = bytes[index]
                if byte == 0x0A {
                    guard index > readIndex, bytes[index - 1] == 0x0D else { return .failed(.badRequest("bare LF")) }
                    if index - readIndex >= 3, bytes[index - 2] == 0x0A, bytes[index - 3] == 0x0D {
                        let headEnd = index - 3
                        if headEnd - readIndex > limits.maxHeaderBytes { return .failed(.headersTooLarge) }
                        return .complete(headEnd)
                    }
                } else if index > readIndex, bytes[index - 1] == 0x0D {
                    return .failed(.badRequest("bare CR"))
                }
                index += 1
            }
            // Keep the last byte unscanned-for-pairs so a CR split across reads is re-checked.
            scanIndex = max(readIndex, index - 1)
            return .incomplete
        }
    }
}
