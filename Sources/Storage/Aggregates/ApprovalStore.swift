/// Requests waiting on citizens' phones.
public protocol ApprovalStore: RecordStore {
    /// Throws `.alreadyExists`.
    func addApproval(_ approval: ApprovalRecord) throws
    /// Throws `.notFound`.
    func approval(id: String) throws -> ApprovalRecord
    /// A citizen's approvals still pending at `now`, oldest first.
    func pendingApprovals(citizenID: String, now: Int64) throws -> [ApprovalRecord]
    /// A citizen's approvals created at or after `since`, any status (rate limits).
    func approvalCount(citizenID: String, since: Int64) throws -> Int
}

extension ApprovalStore {
    public func addApproval(_ approval: ApprovalRecord) throws { try create(approval) }
    public func approval(id: String) throws -> ApprovalRecord { try get(ApprovalRecord.self, id: id) }

    public func pendingApprovals(citizenID: String, now: Int64) throws -> [ApprovalRecord] {
        try find(ApprovalRecord.self, where: "citizen_id", equals: citizenID, limit: 1_000)
            .filter { $0.status == .pending && $0.expiresAt > now }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func approvalCount(citizenID: String, since: Int64) throws -> Int {
        try find(ApprovalRecord.self, where: "citizen_id", equals: citizenID, limit: 10_000).count { $0.createdAt >= since }
    }
}
