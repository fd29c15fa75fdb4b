import Synchronization

/// What every worker shares: the options, the ID sequence, and the next index to claim.
final class EnrollPlan: Sendable {
    let options: EnrollBench.Options
    let termsVersion: String
    let ids: EnrollCitizenIDs
    let next = Atomic<Int>(0)
    let completed = Atomic<Int>(0)

    init(options: EnrollBench.Options, termsVersion: String, ids: EnrollCitizenIDs) {
        self.options = options
        self.termsVersion = termsVersion
        self.ids = ids
    }

    /// The next enrollment index to run, or nil when all are claimed.
    func claim() -> Int? {
        let index = next.add(1, ordering: .relaxed).oldValue
        return index < options.count ? index : nil
    }
}
