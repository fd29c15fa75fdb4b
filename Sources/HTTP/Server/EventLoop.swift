import Foundation
import Glibc

/// One epoll thread: accepts from its own SO_REUSEPORT listener, parses, runs `.inline`
/// handlers, hands `.worker` handlers to the pool, writes responses and fires timeouts.
// @unchecked: everything but `mailbox` is confined to the loop thread; `mailbox` is guarded by
// `mailboxLock` and is the only way other threads talk to the loop.
final class EventLoop: @unchecked Sendable {
    enum Message {
        case completed(Connection, HTTPResponse)
        case streamOutput(Connection, EventStream)
        case shutdown(deadline: Double)
    }

    private let server: HTTPServer
    private let configuration: HTTPServerConfiguration
    private let limits: HTTPConnectionLimits
    private let router: Router
    private let pool: WorkerPool
    private let functions: Linux.Functions
    private let epoll: Epoll
    private let wakeFD: Int32
    private var listenFD: Int32
    private var connections: [Connection?] = []
    private var openCount = 0
    private var timers = TimerHeap()
    private let readBuffer: UnsafeMutableRawBufferPointer
    private let mailboxLock = NSLock()
    private var mailbox: [Message] = []
    private var shutdownDeadline: Double?
    private var listenerPausedUntil: Double?

    private static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    private static let maxPendingOutput = 64 * 1024
    private static let maxStreamBacklog = 1 << 20

    init(
        server: HTTPServer, configuration: HTTPServerConfiguration, router: Router, pool: WorkerPool,
        functions: Linux.Functions, listenFD: Int32
    ) throws(IOError) {
        self.server = server
        self.configuration = configuration
        self.limits = configuration.connectionLimits
        self.router = router
        self.pool = pool
        self.functions = functions
        self.listenFD = listenFD
        epoll = try Epoll(functions: functions)
        let wake = functions.eventfd(0, Linux.nonBlocking | Linux.closeOnExec)
        guard wake >= 0 else { throw IOError(code: errno, function: "eventfd") }
        wakeFD = wake
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        do {
            try epoll.control(Linux.epollCtlAdd, fd: wakeFD, events: Linux.epollIn)
            try epoll.control(Linux.epollCtlAdd, fd: listenFD, events: Linux.epollIn)
        } catch {
            close(wakeFD)
            readBuffer.deallocate()
            throw error
        }
    }

    deinit {
        readBuffer.deallocate()
        close(wakeFD)
        if listenFD >= 0 { close(listenFD) }
    }

    /// Thread-safe: queues a message and wakes the loop (one eventfd write per batch).
    func post(_ message: Message) {
        mailboxLock.lock()
        let wasEmpty = mailbox.isEmpty
        mailbox.append(message)
        mailboxLock.unlock()
        if wasEmpty {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
    }

    /// Runs until shutdown has drained every connection (or the grace period ran out).
    func run() {
        while true {
            let now = monotonicNow()
            if let shutdownDeadline, openCount == 0 || now >= shutdownDeadline { break }
            epoll.wait(timeoutMilliseconds: waitTimeout(now: now)) { fd, events in
                handleEvent(fd: fd, events: events)
            }
            fireTimers(now: monotonicNow())
        }
        for case let connection? in connections { closeConnection(connection) }
        timers.removeAll()
    }

    private func waitTimeout(now: Double) -> Int32 {
        var deadline = timers.earliest ?? .infinity
        if let shutdownDeadline { deadline = min(deadline, shutdownDeadline) }
        if let listenerPausedUntil { deadline = min(deadline, listenerPausedUntil) }
        guard deadline.isFinite else { return -1 }
        return Int32(max(0, min(60_000, ((deadline - now) * 1000).rounded(.up))))
    }

    private func handleEvent(fd: Int32, events: UInt32) {
        if fd == wakeFD {
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
            drainMailbox()
        } else if fd == listenFD {
            acceptConnections()
        } else if Int(fd) < connections.count, let connection = connections[Int(fd)] {
            handleConnection(connection, events: events)
        }
    }

    // MARK: Accepting

    private func acceptConnections() {
        for _ in 0..<128 {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    functions.accept4(listenFD, $0, &length, Linux.nonBlocking | Linux.closeOnExec)
                }
            }
            if fd < 0 {
                let code = errno
                if code == EINTR || code == ECONNABORTED { continue }
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    // Out of descriptors: stop polling the listener briefly instead of spinning.
                    try? epoll.control(Linux.epollCtlMod, fd: listenFD, events: 0)
                    listenerPausedUntil = monotonicNow() + 0.1
                }
                return
            }
            guard server.reserveConnection() else {
                rejectBusy(fd)
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let now = monotonicNow()
            let connection = Connection(fd: fd, remoteAddress: Self.describe(address), limits: limits, now: now)
            do {
                try epoll.control(Linux.epollCtlAdd, fd: fd, events: Linux.epollIn | Linux.epollRdHup)
            } catch {
                close(fd)
                server.releaseConnection()
                continue
            }
            connection.interest = Linux.epollIn | Linux.epollRdHup
            while connections.count <= Int(fd) { connections.append(nil) }
            connections[Int(fd)] = connection
            openCount += 1
            schedule(connection)
        }
    }

    /// Beyond `maxConnections`: answer 503 and close. Whatever the client already sent is read
    /// first so closing sends FIN, not RST (which could destroy the 503 in flight).
    private func rejectBusy(_ fd: Int32) {
        _ = recv(fd, readBuffer.baseAddress, readBuffer.count, Int32(MSG_DONTWAIT))
        let bytes = HTTPResponse.error(503, "server_busy", "too many connections").withSecurityDefaults()
            .serialized(minorVersion: 1, isHEAD: false, close: true)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        shutdown(fd, Int32(SHUT_WR))
        close(fd)
    }

    private static func describe(_ storage: sockaddr_storage) -> String {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = Int32(storage.ss_family)
        withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout<sockaddr_storage>.size) { raw in
                let offset = family == AF_INET6 ? 8 : 4  // sin6_addr / sin_addr
                _ = inet_ntop(family, raw + offset, &text, socklen_t(text.count))
            }
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Connection I/O

    private func handleConnection(_ connection: Connection, events: UInt32) {
        let now = monotonicNow()
        if events & Linux.epollErr != 0 {
            closeConnection(connection)
            return
        }
        if events & Linux.epollOut != 0 {
            guard flush(connection, now: now) else { return }
        }
        if events & (Linux.epollIn | Linux.epollRdHup | Linux.epollHup) != 0, !connection.readClosed {
            let result: IOResult<Int>
            do {
                result = try syscall("recv") { recv(connection.fd, readBuffer.baseAddress, readBuffer.count, 0) }
            } catch {
                closeConnection(connection)
                return
            }
            switch result {
            case .wouldBlock:
                break
            case .processed(0):
                connection.readClosed = true
                if case .close = connection.machine.peerClosed() {
                    closeConnection(connection)
                    return
                }
            case .processed(let count):
                connection.machine.received(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]), now: now)
            }
        } else if events & Linux.epollHup != 0 {
            closeConnection(connection)
            return
        }
        process(connection, now: now)
    }

    /// Runs the state machine until it needs more bytes or a worker is busy with the request.
    private func process(_ connection: Connection, now: Double) {
        parsing: while !connection.isClosed && !connection.closeAfterWrite && connection.pendingOutput < Self.maxPendingOutput {
            switch connection.machine.nextAction(now: now) {
            case .needMore:
                break parsing
            case .sendContinue:
                connection.queue(Self.continueBytes)
            case .reject(let error):
                connection.queue(
                    error.response.withSecurityDefaults().serialized(minorVersion: 1, isHEAD: false, close: true))
                connection.closeAfterWrite = true
            case .close:
                if connection.pendingOutput > 0 {
                    connection.closeAfterWrite = true
                } else {
                    closeConnection(connection)
                    return
                }
            case .dispatch(let head, let body):
                connection.exchange = Connection.Exchange(
                    minorVersion: head.minorVersion, isHEAD: head.method == "HEAD", keepAlive: head.keepAlive)
                let request = HTTPRequest(
                    method: head.method, path: head.path, query: head.query, headers: head.headers, body: body,
                    remoteAddress: connection.remoteAddress)
                switch router.resolve(method: head.method, path: head.path) {
                case .rejected(let response):
                    complete(connection, response.withSecurityDefaults(), now: now)
                case .matched(let route, let parameters) where route.execution == .inline:
                    complete(connection, Router.run(route.handler, request, parameters), now: now)
                case .matched(let route, let parameters):
                    let handler = route.handler
                    pool.submit { [self] in
                        post(.completed(connection, Router.run(handler, request, parameters)))
                    }
                    break parsing
                }
            }
        }
        guard !connection.isClosed, flush(connection, now: now) else { return }
        updateInterest(connection)
        schedule(connection)
    }

    /// Queues the response to the current request and moves the state machine on.
    private func complete(_ connection: Connection, _ response: HTTPResponse, now: Double) {
        let exchange = connection.exchange
        if case .stream(let stream) = response.body {
            connection.queue(response.serialized(minorVersion: exchange.minorVersion, isHEAD: exchange.isHEAD, close: true))
            if exchange.isHEAD || connection.machine.closeAfterResponse {
                connection.closeAfterWrite = true
                pool.submit { stream.closeFromServer() }
                return
            }
            connection.machine.streamStarted()
            connection.stream = stream
            connection.streamIsChunked = exchange.minorVersion == 1
            connection.heartbeatAt = now + configuration.eventStreamHeartbeat
            stream.attach(StreamSink(loop: self, connection: connection))
            if let configure = stream.configure { pool.submit { configure(stream) } }
            return
        }
        let mustClose =
            !exchange.keepAlive || connection.machine.closeAfterResponse || connection.readClosed
            || shutdownDeadline != nil
        connection.queue(response.serialized(minorVersion: exchange.minorVersion, isHEAD: exchange.isHEAD, close: mustClose))
        if case .close = connection.machine.responseQueued(close: mustClose, now: now) {
            connection.closeAfterWrite = true
        }
    }

    /// Writes as much as the socket takes. Returns false if the connection got closed.
    @discardableResult
    private func flush(_ connection: Connection, now: Double) -> Bool {
        while connection.pendingOutput > 0 {
            let result: IOResult<Int>
            do {
                result = try syscall("send") {
                    connection.output.withUnsafeBytes { bytes in
                        guard let base = bytes.baseAddress else { return 0 }
                        return send(connection.fd, base + connection.outputOffset, connection.pendingOutput, Int32(MSG_NOSIGNAL))
                    }
                }
            } catch {
                closeConnection(connection)
                return false
            }
            guard case .processed(let written) = result else { break }
            connection.outputOffset += written
            connection.lastWriteProgress = now
        }
        if connection.pendingOutput == 0 {
            connection.output = []
            connection.outputOffset = 0
            if connection.closeAfterWrite {
                closeConnection(connection)
                return false
            }
        } else if connection.lastWriteProgress == 0 {
            connection.lastWriteProgress = now
        }
        return true
    }

    private func updateInterest(_ connection: Connection) {
        var wanted: UInt32 = 0
        if !connection.readClosed && connection.machine.wantsRead && connection.pendingOutput < Self.maxPendingOutput {
            wanted |= Linux.epollIn | Linux.epollRdHup
        }
        if connection.pendingOutput > 0 { wanted |= Linux.epollOut }
        guard wanted != connection.interest else { return }
        do {
            try epoll.control(Linux.epollCtlMod, fd: connection.fd, events: wanted)
            connection.interest = wanted
        } catch {
            closeConnection(connection)
        }
    }

    private func closeConnection(_ connection: Connection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        close(connection.fd)  // also removes it from the epoll set
        if Int(connection.fd) < connections.count { connections[Int(connection.fd)] = nil }
        openCount -= 1
        server.releaseConnection()
        connection.output = []
        connection.outputOffset = 0
        if let stream = connection.stream {
            connection.stream = nil
            pool.submit { stream.closeFromServer() }
        }
    }

    // MARK: Timers

    private func schedule(_ connection: Connection) {
        guard !connection.isClosed else { return }
        let deadline = connection.nextDeadline(idleTimeout: configuration.idleTimeout)
        if deadline < connection.scheduledDeadline {
            connection.scheduledDeadline = deadline
            timers.push(deadline, connection)
        }
    }

    private func fireTimers(now: Double) {
        if let paused = listenerPausedUntil, now >= paused, listenFD >= 0 {
            listenerPausedUntil = nil
            try? epoll.control(Linux.epollCtlMod, fd: listenFD, events: Linux.epollIn)
        }
        while let entry = timers.popDue(now: now) {
            let connection = entry.connection
            guard !connection.isClosed, entry.deadline == connection.scheduledDeadline else { continue }
            connection.scheduledDeadline = .infinity
            if connection.pendingOutput > 0, now >= connection.lastWriteProgress + configuration.idleTimeout {
                closeConnection(connection)  // the peer stopped reading
                continue
            }
            if case .close = connection.machine.timeoutFired(now: now) {
                closeConnection(connection)
                continue
            }
            if connection.stream != nil, now >= connection.heartbeatAt {
                connection.heartbeatAt = now + configuration.eventStreamHeartbeat
                queueStreamBytes(connection, Array(":\n\n".utf8), finished: false)
                guard flush(connection, now: now) else { continue }
                updateInterest(connection)
            }
            schedule(connection)
        }
    }

    // MARK: Mailbox

    private func drainMailbox() {
        mailboxLock.lock()
        let messages = mailbox
        mailbox = []
        mailboxLock.unlock()
        let now = monotonicNow()
        for message in messages {
            switch message {
            case .completed(let connection, let response):
                guard !connection.isClosed else {
                    if case .stream(let stream) = response.body { pool.submit { stream.closeFromServer() } }
                    continue
                }
                complete(connection, response, now: now)
                process(connection, now: now)
            case .streamOutput(let connection, let stream):
                guard !connection.isClosed, connection.stream === stream else { continue }
                let (bytes, finished) = stream.drain()
                queueStreamBytes(connection, bytes, finished: finished)
                if connection.pendingOutput > Self.maxStreamBacklog {
                    closeConnection(connection)  // a consumer this slow is as good as dead
                    continue
                }
                guard flush(connection, now: now) else { continue }
                updateInterest(connection)
                schedule(connection)
            case .shutdown(let deadline):
                beginShutdown(deadline: deadline, now: now)
            }
        }
    }

    private func queueStreamBytes(_ connection: Connection, _ bytes: [UInt8], finished: Bool) {
        if !bytes.isEmpty {
            if connection.streamIsChunked {
                var framed = Array(String(bytes.count, radix: 16).utf8)
                framed.append(contentsOf: [0x0D, 0x0A])
                framed.append(contentsOf: bytes)
                framed.append(contentsOf: [0x0D, 0x0A])
                connection.queue(framed)
            } else {
                connection.queue(bytes)
            }
        }
        if finished {
            if connection.streamIsChunked { connection.queue(Array("0\r\n\r\n".utf8)) }
            connection.stream = nil
            connection.closeAfterWrite = true
        }
    }

    private func beginShutdown(deadline: Double, now: Double) {
        guard shutdownDeadline == nil else { return }
        shutdownDeadline = deadline
        if listenFD >= 0 {
            close(listenFD)
            listenFD = -1
        }
        for case let connection? in connections {
            if let stream = connection.stream {
                queueStreamBytes(connection, [], finished: true)
                pool.submit { stream.closeFromServer() }
                if flush(connection, now: now) { updateInterest(connection) }
                continue
            }
            if case .close = connection.machine.beginShutdown() {
                if connection.pendingOutput == 0 {
                    closeConnection(connection)
                } else {
                    connection.closeAfterWrite = true
                }
            }
        }
    }
}

/// Routes "stream has output" notifications from any thread to the owning loop.
private final class StreamSink: EventStreamSink {
    let loop: EventLoop
    let connection: Connection

    init(loop: EventLoop, connection: Connection) {
        self.loop = loop
        self.connection = connection
    }

    func eventStreamHasOutput(_ stream: EventStream) {
        loop.post(.streamOutput(connection, stream))
    }
}
