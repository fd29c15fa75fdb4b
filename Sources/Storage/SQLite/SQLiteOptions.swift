/// Tuning of a `SQLiteStore`.
public struct SQLiteOptions: Sendable {
    /// How long a statement waits for another process's lock before failing with `.backend`.
    public var busyTimeout: Duration
    /// Read-only connections kept for concurrent reads beside the one writer (WAL lets them read
    /// while it writes). Ignored for in-memory databases, which have only the writer.
    public var readers: Int

    public init(busyTimeout: Duration = .seconds(5), readers: Int = 4) {
        self.busyTimeout = busyTimeout
        self.readers = readers
    }
}
