import Synchronization

/// Workers' results, merged as each finishes.
final class EnrollCollector: Sendable {
    private let state = Mutex(EnrollResult())

    func add(_ result: EnrollResult) { state.withLock { $0.merge(result) } }
    var result: EnrollResult { state.withLock { $0 } }
}
