import Glibc

/// Lines from standard input. On a terminal, secret lines are read with echo off, and the
/// terminal settings are restored before returning.
public final class StandardInput: Input {
    public init() {}

    public func readLine(secret: Bool) -> String? {
        guard secret, isatty(STDIN_FILENO) == 1 else { return Swift.readLine(strippingNewline: true) }
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return Swift.readLine(strippingNewline: true) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            // The Enter key was not echoed either.
            writeAll(STDERR_FILENO, "\n")
        }
        return Swift.readLine(strippingNewline: true)
    }
}
