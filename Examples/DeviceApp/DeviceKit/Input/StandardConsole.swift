import Glibc

/// The process's stdout and stderr.
public final class StandardConsole: Console {
    public init() {}

    public func output(_ line: String) { writeAll(STDOUT_FILENO, line + "\n") }

    public func prompt(_ text: String, newline: Bool) { writeAll(STDERR_FILENO, newline ? text + "\n" : text) }
}

/// write(2) until done; unbuffered, so prompts and results interleave in order (the C
/// `stdout`/`stderr` globals are not concurrency-safe in Swift 6 anyway).
func writeAll(_ descriptor: Int32, _ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        bytes = bytes.dropFirst(written)
    }
}
