import Testing
@testable import HTTP

/// The connection protocol without sockets: bytes and a mock clock in, actions out.
@Suite("Connection state machine")
struct ConnectionStateMachineTests {
    struct Harness {
        var machine: HTTPConnectionStateMachine
        var now: Double = 1000

        init(configure: (inout HTTPConnectionLimits) -> Void = { _ in }) {
            var limits = HTTPConnectionLimits()
            configure(&limits)
            machine = HTTPConnectionStateMachine(limits: limits, now: 1000)
        }

        mutating func feed(_ text: String) -> HTTPConnectionStateMachine.Action {
            feed(Array(text.utf8))
        }

        mutating func feed(_ bytes: [UInt8]) -> HTTPConnectionStateMachine.Action {
            bytes.withUnsafeBytes { machine.received($0, now: now) }
            return machine.nextAction(now: now)
        }

        mutating func respond(close: Bool = false) -> HTTPConnectionStateMachine.Action {
            if case .close = machine.responseQueued(close: close, now: now) { return .close }
            return machine.nextAction(now: now)
        }
    }

    static func request(_ action: HTTPConnectionStateMachine.Action) -> (HTTPRequestHead, String)? {
        if case .dispatch(let head, let body) = action { return (head, String(decoding: body, as: UTF8.self)) }
        return nil
    }

    static func rejection(_ action: HTTPConnectionStateMachine.Action) -> HTTPParseError? {
        if case .reject(let error) = action { return error }
        return nil
    }

    static func isNeedMore(_ action: HTTPConnectionStateMachine.Action) -> Bool {
        if case .needMore = action { return true }
        return false
    }

    static func isClose(_ action: HTTPConnectionStateMachine.Action) -> Bool {
        if case .close = action { return true }
        return false
    }

    @Test func byteByByteRequestWithBody() throws {
        var harness = Harness()
        let text = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
        var last: HTTPConnectionStateMachine.Action = .needMore
        for byte in text.utf8 { last = harness.feed([byte]) }
        let (head, body) = try #require(Self.request(last))
        #expect(head.method == "POST")
        #expect(body == "hello")
    }

    @Test func pipelinedRequestsAreHandedOutOneAtATimeInOrder() throws {
        var harness = Harness()
        let first = harness.feed("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try #require(Self.request(first)).0.path == "/1")
        #expect(Self.isNeedMore(harness.machine.nextAction(now: harness.now)), "no second request before the first is answered")
        #expect(try #require(Self.request(harness.respond())).0.path == "/2")
        #expect(try #require(Self.request(harness.respond())).0.path == "/3")
        #expect(Self.isNeedMore(harness.respond()))
        #expect(harness.machine.isIdle)
    }

    @Test func leadingEmptyLinesAreIgnored() throws {
        var harness = Harness()
        #expect(Self.request(harness.feed("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")) != nil)
    }

    @Test func chunkedBodyIsDecodedAndPipelinedBytesKept() throws {
        var harness = Harness()
        let action = harness.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try #require(Self.request(action)).1 == "abc")
        #expect(try #require(Self.request(harness.respond())).0.path == "/next")
    }

    @Test func smuggledSecondRequestInChunkedBodyIsBody() throws {
        // A classic TE.CL attempt: the "hidden" request is just body bytes to us.
        var harness = Harness()
        let action = harness.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n20\r\nGET /admin HTTP/1.1\r\nHost: a\r\n\r\n\r\n0\r\n\r\n")
        #expect(try #require(Self.request(action)).1 == "GET /admin HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(Self.isNeedMore(harness.respond()))
    }

    @Test func headersOverLimitGive431EvenWithoutTerminator() {
        var harness = Harness { $0.maxHeaderBytes = 64 }
        let action = harness.feed("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "a", count: 100))
        #expect(Self.rejection(action) == .headersTooLarge)
    }

    @Test func bareLFIsRejectedBeforeTheHeadEnds() {
        var harness = Harness()
        #expect(Self.rejection(harness.feed("GET / HTTP/1.1\n")) == .badRequest("bare LF"))
    }

    @Test func bareCRIsRejectedBeforeTheHeadEnds() {
        var harness = Harness()
        #expect(Self.rejection(harness.feed("GET / HTTP/1.1\rX")) == .badRequest("bare CR"))
    }

    @Test func bodyOverLimitGive413() {
        var harness = Harness { $0.maxBodyBytes = 10 }
        #expect(Self.rejection(harness.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n")) == .bodyTooLarge)
    }

    @Test func chunkedBodyOverLimitGive413WhileDecoding() {
        var harness = Harness { $0.maxBodyBytes = 10 }
        let action = harness.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n")
        #expect(Self.rejection(action) == .bodyTooLarge)
    }

    @Test func expectContinueIsAnsweredOnlyForAcceptableBodies() throws {
        var harness = Harness { $0.maxBodyBytes = 10 }
        let action = harness.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        guard case .sendContinue = action else {
            Issue.record("expected 100 Continue, got \(action)")
            return
        }
        #expect(Self.isNeedMore(harness.machine.nextAction(now: harness.now)))
        #expect(try #require(Self.request(harness.feed("abc"))).1 == "abc")

        var tooBig = Harness { $0.maxBodyBytes = 10 }
        let refused = tooBig.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 30\r\nExpect: 100-continue\r\n\r\n")
        #expect(Self.rejection(refused) == .bodyTooLarge)
    }

    @Test func headerTimeoutRunsFromTheFirstByte() {
        var harness = Harness { $0.headerTimeout = 10; $0.idleTimeout = 60 }
        harness.now += 30  // idle time before the request does not count
        #expect(Self.isNeedMore(harness.feed("GET / HTTP/1.1\r\n")))
        #expect(harness.machine.deadline == 1040)
        harness.now += 5
        #expect(Self.isNeedMore(harness.feed("Host: a\r\n")), "trickling bytes do not extend the deadline")
        #expect(harness.machine.deadline == 1040)
        #expect(Self.isNeedMore(harness.machine.timeoutFired(now: 1039.9)))
        #expect(Self.isClose(harness.machine.timeoutFired(now: 1040)))
    }

    @Test func bodyTimeoutStartsAfterHeaders() {
        var harness = Harness { $0.bodyTimeout = 30 }
        _ = harness.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
        #expect(harness.machine.deadline == 1030)
        #expect(Self.isClose(harness.machine.timeoutFired(now: 1030)))
    }

    @Test func idleTimeoutAfterResponseAndNoneWhileHandling() {
        var harness = Harness { $0.idleTimeout = 60 }
        #expect(harness.machine.deadline == 1060)
        _ = harness.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(harness.machine.deadline == nil, "a slow handler is not timed out by the connection")
        harness.now = 1100
        _ = harness.respond()
        #expect(harness.machine.deadline == 1160)
    }

    @Test func connectionCloseAndHTTP10CloseAfterResponse() {
        var harness = Harness()
        _ = harness.feed("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(Self.isClose(harness.respond()))
        var old = Harness()
        _ = old.feed("GET / HTTP/1.0\r\n\r\n")
        #expect(Self.isClose(old.respond()))
    }

    @Test func peerHalfCloseStillGetsItsResponseThenCloses() {
        var harness = Harness()
        _ = harness.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(Self.isNeedMore(harness.machine.peerClosed()))
        #expect(Self.isClose(harness.respond()))
    }

    @Test func shutdownClosesIdleNowAndBusyAfterResponse() {
        var idle = Harness()
        #expect(Self.isClose(idle.machine.beginShutdown()))
        var busy = Harness()
        _ = busy.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(Self.isNeedMore(busy.machine.beginShutdown()))
        #expect(Self.isClose(busy.respond()))
    }

    @Test func buffersAreReleasedWhenIdle() {
        var harness = Harness()
        _ = harness.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = harness.respond()
        #expect(harness.machine.bufferedByteCount == 0)
        #expect(harness.machine.isIdle)
    }
}
