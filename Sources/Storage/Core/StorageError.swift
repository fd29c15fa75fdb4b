/// The only errors a `Store` throws. Callers branch on `.notFound` and `.alreadyExists`;
/// `.backend` carries a message for logs and is never shown to a client.
public enum StorageError: Error, Sendable, Equatable {
    /// No record with that key (or the record exists but may not be used, e.g. a revoked token).
    case notFound
    /// A record with that id, or with that value of a unique index, already exists.
    case alreadyExists
    /// Anything else: I/O, a corrupt row, a schema from a newer build, a misuse of the API.
    case backend(String)
}
