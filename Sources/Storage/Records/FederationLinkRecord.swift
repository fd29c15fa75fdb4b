/// A citizen's link to an identity at an upstream identity provider: (idp, upstream `sub`) →
/// citizen, made the first time that identity presented a valid citizen ID. Listed to the
/// citizen and revocable by them; a revoked link refuses that upstream identity from then on.
public struct FederationLinkRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "federation_links", indexes: ["citizen_id"])

    /// SHA-256 (hex) of idp id, a newline and the upstream `sub`: one link per upstream identity.
    public var id: String
    public var citizenID: String
    public var idpID: String
    /// The upstream `sub`. Never sent to a relying party.
    public var upstreamSubject: String
    public var firstUsedAt: Int64
    public var lastUsedAt: Int64
    public var revokedAt: Int64?

    public var indexValues: [String?] { [citizenID] }

    public init(
        id: String, citizenID: String, idpID: String, upstreamSubject: String, firstUsedAt: Int64, lastUsedAt: Int64,
        revokedAt: Int64? = nil
    ) {
        self.id = id
        self.citizenID = citizenID
        self.idpID = idpID
        self.upstreamSubject = upstreamSubject
        self.firstUsedAt = firstUsedAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}
