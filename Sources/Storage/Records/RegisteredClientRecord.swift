/// A client registered through `/register` (RFC 7591) and managed through RFC 7592: its
/// validated metadata as JSON text, and hashes of its secret and registration access token.
///
/// The broker re-validates `metadata` when it loads the record, so the record holds no derived
/// fields that could drift from the metadata.
public struct RegisteredClientRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(
        table: "registered_clients", indexes: ["partner_id", "registration_token_hash"], unique: ["registration_token_hash"])

    /// The `client_id`.
    public var id: String
    /// The partner whose initial access token registered the client.
    public var partnerID: String
    /// The registered metadata document (JSON object text), without secrets or tokens.
    public var metadata: String
    /// Lowercase hex SHA-256 of the client secret, for the secret-based methods.
    public var secretHash: String?
    /// Lowercase hex SHA-256 of the current registration access token (RFC 7592 §3); unique.
    public var registrationTokenHash: String
    public var createdAt: Int64
    public var updatedAt: Int64
    public var disabledAt: Int64?

    public var indexValues: [String?] { [partnerID, registrationTokenHash] }

    public init(
        id: String, partnerID: String, metadata: String, secretHash: String?, registrationTokenHash: String,
        createdAt: Int64, updatedAt: Int64, disabledAt: Int64? = nil
    ) {
        self.id = id
        self.partnerID = partnerID
        self.metadata = metadata
        self.secretHash = secretHash
        self.registrationTokenHash = registrationTokenHash
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.disabledAt = disabledAt
    }
}
