/// An in-person enrollment started by an officer; its one-time code is stored as its hash.
///
/// Garbage-collected `EnrollmentRecord.gcGrace` (one day) after `expiresAt`, whatever its status:
/// the grace lets a late device call get a precise "expired"/"used" answer instead of "unknown",
/// and the audit log keeps the history.
public struct EnrollmentRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(
        table: "enrollments", indexes: ["citizen_id", "code_hash"], unique: ["code_hash"])
    /// Seconds kept after `expiresAt` before garbage collection.
    public static let gcGrace: Int64 = 86_400

    public var id: String
    public var citizenID: String
    /// Lowercase hex SHA-256 of the enrollment code; unique.
    public var codeHash: String
    public var officerID: String
    public var officeCode: String
    public var createdAt: Int64
    /// The code is unusable from this second on.
    public var expiresAt: Int64
    public var failedAttempts: Int
    public var status: EnrollmentStatus
    public var deviceID: String?
    public var usedAt: Int64?

    public var indexValues: [String?] { [citizenID, codeHash] }
    public var collectAfter: Int64? { expiresAt + Self.gcGrace }

    public init(
        id: String, citizenID: String, codeHash: String, officerID: String, officeCode: String,
        createdAt: Int64, expiresAt: Int64, failedAttempts: Int = 0, status: EnrollmentStatus = .pending,
        deviceID: String? = nil, usedAt: Int64? = nil
    ) {
        self.id = id
        self.citizenID = citizenID
        self.codeHash = codeHash
        self.officerID = officerID
        self.officeCode = officeCode
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.failedAttempts = failedAttempts
        self.status = status
        self.deviceID = deviceID
        self.usedAt = usedAt
    }
}
