import Foundation

/// Line output that is never held in a buffer: the demo script interleaves these programs'
/// output with its own and with the broker's log, so each line is written when it is said.
public enum Console {
    public static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    public static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
