/// Answers given in advance, one line each, consumed in order; then end of input.
public final class ScriptedInput: Input {
    private var lines: [String]
    /// How many lines were asked for that were marked secret (tests check passcodes are hidden).
    public private(set) var secretReads = 0

    public init(_ lines: [String]) { self.lines = lines }

    public func readLine(secret: Bool) -> String? {
        guard !lines.isEmpty else { return nil }
        if secret { secretReads += 1 }
        return lines.removeFirst()
    }

    /// The lines not yet read.
    public var remaining: [String] { lines }
}
