/// Collects everything written, for tests.
public final class RecordingConsole: Console {
    public private(set) var outputLines: [String] = []
    public private(set) var promptText = ""

    public init() {}

    public func output(_ line: String) { outputLines.append(line) }

    public func prompt(_ text: String, newline: Bool) { promptText += newline ? text + "\n" : text }
}
