import Foundation
import Storage

/// Told about every new pending approval, so that it can reach the citizen's phones at once
/// (the HTTP layer's Server-Sent Events hub; later, push gateways). Must not block: it runs
/// on the thread that created the approval.
public protocol ApprovalNotifier: Sendable {
    func approvalCreated(_ approval: ApprovalRecord)
    // ciba
    /// A device decided the approval (approved, denied, or failed on wrong numbers). Must not
    /// block either.
    func approvalDecided(_ approval: ApprovalRecord)
    // end ciba
}

// ciba
extension ApprovalNotifier {
    /// Most notifiers care only about new approvals.
    public func approvalDecided(_ approval: ApprovalRecord) {}
}
// end ciba

/// The notifiers the broker tells; the HTTP layer subscribes when it starts, after the
/// `Broker` exists.
// @unchecked: `notifiers` is guarded by `lock`; subscriptions and notifications come from any thread.
public final class ApprovalNotifications: ApprovalNotifier, @unchecked Sendable {
    private let lock = NSLock()
    private var notifiers: [any ApprovalNotifier] = []

    public init() {}

    public func subscribe(_ notifier: any ApprovalNotifier) {
        lock.withLock { notifiers.append(notifier) }
    }

    public func approvalCreated(_ approval: ApprovalRecord) {
        for notifier in lock.withLock({ notifiers }) { notifier.approvalCreated(approval) }
    }

    // ciba
    public func approvalDecided(_ approval: ApprovalRecord) {
        for notifier in lock.withLock({ notifiers }) { notifier.approvalDecided(approval) }
    }
    // end ciba
}
