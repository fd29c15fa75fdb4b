/// In-person enrollments. Redeem a code with `update(EnrollmentRecord.self, id:)` and check
/// `status`/`expiresAt` inside its body, so two concurrent redemptions cannot both succeed.
public protocol EnrollmentStore: RecordStore {
    /// Throws `.alreadyExists` if the id or code hash is taken.
    func addEnrollment(_ enrollment: EnrollmentRecord) throws
    /// Throws `.notFound`.
    func enrollment(id: String) throws -> EnrollmentRecord
    /// Throws `.notFound`.
    func enrollment(codeHash: String) throws -> EnrollmentRecord
}

extension EnrollmentStore {
    public func addEnrollment(_ enrollment: EnrollmentRecord) throws { try create(enrollment) }

    public func enrollment(id: String) throws -> EnrollmentRecord { try get(EnrollmentRecord.self, id: id) }

    public func enrollment(codeHash: String) throws -> EnrollmentRecord {
        try unique(EnrollmentRecord.self, where: "code_hash", equals: codeHash)
    }
}
