/// The loop-side state of one accepted socket. Owns the fd and closes it exactly once.
// @unchecked: all mutable state is confined to the owning event loop's thread; worker threads
// only carry the reference back to that loop with a completed response.
final class Connection: @unchecked Sendable {
    struct Exchange {
        var minorVersion: Int
        var isHEAD: Bool
        var keepAlive: Bool
    }

    let fd: Int32
    let remoteAddress: String
    var machine: HTTPConnectionStateMachine
    var exchange = Exchange(minorVersion: 1, isHEAD: false, keepAlive: true)
    var output: [UInt8] = []
    var outputOffset = 0
    var lastWriteProgress: Double = 0
    var closeAfterWrite = false
    var readClosed = false
    var isClosed = false
    var stream: EventStream?
    var streamIsChunked = false
    var heartbeatAt = Double.infinity
    var interest: UInt32 = 0
    /// The deadline of this connection's live entry in the loop's timer heap.
    var scheduledDeadline = Double.infinity

    init(fd: Int32, remoteAddress: String, limits: HTTPConnectionLimits, now: Double) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        machine = HTTPConnectionStateMachine(limits: limits, now: now)
    }

    var pendingOutput: Int { output.count - outputOffset }

    func queue(_ bytes: [UInt8]) {
        if outputOffset == output.count {
            output = bytes
            outputOffset = 0
        } else {
            output.append(contentsOf: bytes)
        }
    }

    /// The earliest moment something time-based must happen to this connection.
    func nextDeadline(idleTimeout: Double) -> Double {
        var deadline = machine.deadline ?? .infinity
        if stream != nil { deadline = min(deadline, heartbeatAt) }
        if pendingOutput > 0 { deadline = min(deadline, lastWriteProgress + idleTimeout) }
        return deadline
    }
}
