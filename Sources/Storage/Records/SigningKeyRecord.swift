/// A JWS signing key. It signs until `retiredAt`, stays in the JWKS until `removeAfter`
/// (so tokens it signed still verify), and is garbage-collected after that.
public struct SigningKeyRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "signing_keys")

    /// The JWK `kid`.
    public var id: String
    /// JWS `alg`, e.g. "ES256".
    public var algorithm: String
    /// The private JWK as JSON text.
    public var privateJWK: String
    public var createdAt: Int64
    public var retiredAt: Int64?
    public var removeAfter: Int64?

    public var collectAfter: Int64? { removeAfter }

    public init(
        id: String, algorithm: String, privateJWK: String, createdAt: Int64,
        retiredAt: Int64? = nil, removeAfter: Int64? = nil
    ) {
        self.id = id
        self.algorithm = algorithm
        self.privateJWK = privateJWK
        self.createdAt = createdAt
        self.retiredAt = retiredAt
        self.removeAfter = removeAfter
    }
}
