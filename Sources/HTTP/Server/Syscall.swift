import Glibc

/// A failed system call: the errno and the function that set it.
package struct IOError: Error, CustomStringConvertible, Sendable {
    package let code: Int32
    package let function: StaticString

    package var description: String { "\(function) failed: \(String(cString: strerror(code))) (\(code))" }
}

/// The outcome of a non-blocking system call.
enum IOResult<Value> {
    case processed(Value)
    case wouldBlock
}

/// Runs a system call that signals failure with -1: retries EINTR, maps EAGAIN/EWOULDBLOCK to
/// `.wouldBlock`, throws anything else as `IOError` (EBADF included: it would be our own bug,
/// and a typed error is kinder than a crash in production).
@inline(__always)
func syscall<Value: FixedWidthInteger>(
    _ function: StaticString, _ body: () -> Value
) throws(IOError) -> IOResult<Value> {
    while true {
        let result = body()
        if result >= 0 { return .processed(result) }
        let code = errno
        if code == EINTR { continue }
        if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
        throw IOError(code: code, function: function)
    }
}

/// Monotonic seconds; never goes backwards, unaffected by wall-clock changes.
func monotonicNow() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
