import Dispatch
import Foundation
import Glibc

/// Why the server could not start.
public enum HTTPServerError: Error, Sendable, CustomStringConvertible {
    case alreadyStarted
    case unsupportedPlatform
    case invalidHost(String)
    case system(String)

    public var description: String {
        switch self {
        case .alreadyStarted: "server already started"
        case .unsupportedPlatform: "epoll is not available"
        case .invalidHost(let host): "invalid listen address \(host)"
        case .system(let what): what
        }
    }
}

/// The HTTP/1.1 server: `eventLoops` epoll threads, each with its own SO_REUSEPORT listener
/// (the kernel spreads new connections across loops with no shared accept lock and no
/// thundering herd), plus a fixed worker pool for blocking handlers.
// @unchecked: lifecycle state is guarded by `condition`, the connection count by `countLock`;
// loops and the pool are thread-safe themselves.
public final class HTTPServer: @unchecked Sendable {
    private enum State { case idle, running, stopping, stopped }

    public let configuration: HTTPServerConfiguration
    private let router: Router
    private let condition = NSCondition()
    private var state = State.idle
    private var loops: [EventLoop] = []
    private var runningLoops = 0
    private var pool: WorkerPool?
    private let countLock = NSLock()
    private var openConnections = 0
    private var signalSources: [any DispatchSourceSignal] = []

    public init(configuration: HTTPServerConfiguration, router: Router) {
        self.configuration = configuration
        self.router = router
    }

    /// Binds the listeners and starts the loops and workers; returns the bound port.
    public func start() throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        guard state == .idle else { throw HTTPServerError.alreadyStarted }
        guard let functions = Linux.functions else { throw HTTPServerError.unsupportedPlatform }
        var port = configuration.port
        var listeners: [Int32] = []
        do {
            // SO_REUSEPORT would let a second server (a second broker started by mistake) bind the
            // same port and silently take half the connections. A probe without it fails with
            // EADDRINUSE when anyone holds the port, so a taken port is refused instead.
            if port != 0 { close(try Self.listen(host: configuration.host, port: port, reusePort: false, startListening: false)) }
            for _ in 0..<max(1, configuration.eventLoops) {
                let fd = try Self.listen(host: configuration.host, port: port)
                listeners.append(fd)
                if port == 0 { port = try Self.boundPort(fd) }
            }
        } catch {
            for fd in listeners { close(fd) }
            throw error
        }
        let pool = WorkerPool(threads: configuration.workerThreads)
        var created: [EventLoop] = []
        for (index, fd) in listeners.enumerated() {
            do {
                created.append(
                    try EventLoop(
                        server: self, configuration: configuration, router: router, pool: pool, functions: functions,
                        listenFD: fd))
            } catch {
                for other in listeners[index...] { close(other) }
                pool.stop()
                throw HTTPServerError.system(error.description)
            }
        }
        self.pool = pool
        loops = created
        runningLoops = created.count
        state = .running
        for (index, loop) in created.enumerated() {
            let thread = Thread { [self] in
                loop.run()
                loopFinished()
            }
            thread.name = "http-loop-\(index)"
            thread.start()
        }
        return port
    }

    /// Graceful stop: no new connections; idle ones and event streams close now; in-flight
    /// requests are answered (with `Connection: close`) until `shutdownGracePeriod` runs out.
    /// Safe from any thread, any number of times.
    public func shutdown() {
        condition.lock()
        guard state == .running else {
            condition.unlock()
            return
        }
        state = .stopping
        let loops = self.loops
        condition.unlock()
        let deadline = monotonicNow() + configuration.shutdownGracePeriod
        for loop in loops { loop.post(.shutdown(deadline: deadline)) }
    }

    /// Blocks until the server has fully stopped after `shutdown()`; returns at once if it was
    /// never started.
    public func waitUntilShutdown() {
        condition.lock()
        while state == .running || state == .stopping { condition.wait() }
        condition.unlock()
    }

    /// SIGTERM and SIGINT call `shutdown()`; SIGPIPE is ignored (writes also use MSG_NOSIGNAL).
    public func installSignalHandlers() {
        signal(SIGPIPE, SIG_IGN)
        condition.lock()
        defer { condition.unlock() }
        guard signalSources.isEmpty else { return }
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)  // let the dispatch source see it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.shutdown() }
            source.resume()
            signalSources.append(source)
        }
    }

    /// Connections currently open across all loops.
    public var connectionCount: Int {
        countLock.lock()
        defer { countLock.unlock() }
        return openConnections
    }

    func reserveConnection() -> Bool {
        countLock.lock()
        defer { countLock.unlock() }
        guard openConnections < configuration.maxConnections else { return false }
        openConnections += 1
        return true
    }

    func releaseConnection() {
        countLock.lock()
        openConnections -= 1
        countLock.unlock()
    }

    private func loopFinished() {
        condition.lock()
        runningLoops -= 1
        if runningLoops == 0 {
            state = .stopped
            pool?.stop()
            pool = nil
            loops = []
            condition.broadcast()
        }
        condition.unlock()
    }

    // MARK: Sockets

    private static func listen(host: String, port: Int, reusePort: Bool = true, startListening: Bool = true) throws(HTTPServerError) -> Int32 {
        guard (0...65535).contains(port) else { throw .invalidHost("\(host):\(port)") }
        let isIPv6 = host.contains(":")
        let fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Linux.nonBlocking | Linux.closeOnExec, 0)
        guard fd >= 0 else { throw .system("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if reusePort { setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) }
        let bound: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
                close(fd)
                throw .invalidHost(host)
            }
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                close(fd)
                throw .invalidHost(host)
            }
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard bound == 0, !startListening || Glibc.listen(fd, 4096) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw .system("bind/listen \(host):\(port): \(message)")
        }
        return fd
    }

    private static func boundPort(_ fd: Int32) throws(HTTPServerError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw .system("getsockname: \(String(cString: strerror(errno)))") }
        // sin_port and sin6_port share the same offset.
        let port = withUnsafeBytes(of: storage) { $0.load(fromByteOffset: 2, as: UInt16.self) }
        return Int(UInt16(bigEndian: port))
    }
}
