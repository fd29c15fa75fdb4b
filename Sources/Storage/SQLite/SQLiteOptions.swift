/// Tuning of a `SQLiteStore`.
public struct SQLiteOptions: Sendable {
    /// How long a statement waits for another process's lock before failing with `.backend`.
    public var busyTimeout: Duration
    /// Read-only connections kept for concurrent reads beside the one writer (WAL lets them read
    /// while it writes). Ignored for in-memory databases, which have only the writer.
    public var readers: Int
    /// Group commit: most write transactions (of concurrent callers) that share one COMMIT and its
    /// fsync. 1 commits each on its own.
    public var groupCommitLimit: Int
    /// Group commit: a shared transaction is committed rather than extended once this long has
    /// passed since it began, bounding how long its first writer waits for its acknowledgement.
    public var groupCommitWindow: Duration

    public init(
        busyTimeout: Duration = .seconds(5), readers: Int = 4, groupCommitLimit: Int = 32,
        groupCommitWindow: Duration = .milliseconds(5)
    ) {
        self.busyTimeout = busyTimeout
        self.readers = readers
        self.groupCommitLimit = groupCommitLimit
        self.groupCommitWindow = groupCommitWindow
    }
}
