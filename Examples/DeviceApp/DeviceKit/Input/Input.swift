/// Where the citizen's answers come from: a terminal, or a script in tests and demos.
public protocol Input: AnyObject {
    /// The next line without its line ending, or nil at end of input. `secret` asks the
    /// implementation not to echo it (passcodes).
    func readLine(secret: Bool) -> String?
}
