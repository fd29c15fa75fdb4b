import Foundation

/// The broker's outbound deliveries: handed to the sink the HTTP layer attaches when it starts
/// (a broker without one — domain tests, maintenance commands — drops them, which loses nothing:
/// devices fetch their requests and CIBA clients can always poll). Outcomes come back here to
/// be audited.
// @unchecked: `sink` is guarded by `lock`; attached once at start, read from request threads.
public final class OutboundDeliveries: @unchecked Sendable {
    private let lock = NSLock()
    private var sink: (any DeliverySink)?
    let audit: Auditor

    init(audit: Auditor) { self.audit = audit }

    /// Sends every later delivery to `sink`.
    public func attach(_ sink: any DeliverySink) { lock.withLock { self.sink = sink } }

    func send(_ delivery: OutboundDelivery) {
        guard let sink = lock.withLock({ sink }) else { return }
        if !sink.enqueue(delivery) { finished(delivery, delivered: false, attempts: 0, detail: "delivery queue full") }
    }

    /// The queue reports how a delivery ended: `ciba.ping_delivered` / `ciba.ping_failed`,
    /// `device.push_delivered` / `device.push_failed` in the audit log.
    public func finished(_ delivery: OutboundDelivery, delivered: Bool, attempts: Int, detail: String) {
        audit.record(delivery.purpose.rawValue + (delivered ? "_delivered" : "_failed"), by: Actor(type: "system", id: "deliveries"),
                     citizen: delivery.citizenID, client: delivery.clientID, success: delivered,
                     detail: "\(delivery.reference) after \(attempts) attempt(s)" + (detail.isEmpty ? "" : ": \(detail)"))
    }
}
