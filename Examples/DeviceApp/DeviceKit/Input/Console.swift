import Glibc

/// Where the app writes: results to `output` (stdout), prompts and errors to `prompt`
/// (stderr), so a script can capture stdout alone.
public protocol Console: AnyObject {
    /// A result line (stdout).
    func output(_ line: String)
    /// A prompt, message or error line (stderr); `newline` false leaves the cursor after it.
    func prompt(_ text: String, newline: Bool)
}

extension Console {
    public func prompt(_ text: String) { prompt(text, newline: true) }
}

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

/// Collects everything written, for tests.
public final class RecordingConsole: Console {
    public private(set) var outputLines: [String] = []
    public private(set) var promptText = ""

    public init() {}

    public func output(_ line: String) { outputLines.append(line) }

    public func prompt(_ text: String, newline: Bool) { promptText += newline ? text + "\n" : text }
}
