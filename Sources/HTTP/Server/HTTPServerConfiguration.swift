import Glibc

/// Everything the server can be tuned with; defaults follow the production brief.
public struct HTTPServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port; `HTTPServer.start()` returns the one bound.
    public var port = 8080
    /// Event-loop threads, each with its own SO_REUSEPORT listening socket.
    public var eventLoops = HTTPServerConfiguration.coreCount
    /// Worker threads running `.worker` handlers (they may block on disk or crypto).
    public var workerThreads = 8 * HTTPServerConfiguration.coreCount
    /// Request line + headers; beyond it → 431.
    public var maxHeaderBytes = 16 * 1024
    /// Decoded body; beyond it → 413.
    public var maxBodyBytes = 1 << 20
    /// Open connections across all loops; beyond it new ones get a 503 and are closed.
    public var maxConnections = 20_000
    /// Seconds from the first byte of a request until its headers are complete.
    public var headerTimeout: Double = 10
    /// Seconds from the end of the headers until the body is complete.
    public var bodyTimeout: Double = 30
    /// Seconds an idle keep-alive connection (or a stalled writer) is kept.
    public var idleTimeout: Double = 60
    /// Seconds `shutdown()` waits for in-flight requests before closing everything.
    public var shutdownGracePeriod: Double = 10
    /// Seconds between SSE heartbeat comments (how fast dead peers are noticed).
    public var eventStreamHeartbeat: Double = 15

    public init() {}

    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    var connectionLimits: HTTPConnectionLimits {
        var limits = HTTPConnectionLimits()
        limits.maxHeaderBytes = maxHeaderBytes
        limits.maxBodyBytes = maxBodyBytes
        limits.headerTimeout = headerTimeout
        limits.bodyTimeout = bodyTimeout
        limits.idleTimeout = idleTimeout
        return limits
    }
}
