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
