/// Where an enrollment code is in its life.
public enum EnrollmentStatus: String, Codable, Sendable {
    /// Issued, not yet used.
    case pending
    /// Redeemed once, binding `EnrollmentRecord.deviceID`.
    case used
    /// Made unusable, e.g. after too many failed attempts.
    case burned
}
