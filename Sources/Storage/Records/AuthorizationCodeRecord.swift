/// An issued authorization code, stored under the SHA-256 of the code. Kept after redemption
/// (until `collectAfter`) so that a second redemption is recognised and revokes the grant.
public struct AuthorizationCodeRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "authorization_codes")

    /// Hex SHA-256 of the code.
    public var id: String
    public var clientID: String
    public var redirectURI: String
    public var citizenID: String
    public var scopes: [String]
    public var nonce: String?
    public var codeChallenge: String?
    public var codeChallengeMethod: String?
    public var claims: String?
    public var authTime: Int64
    public var acr: String
    public var amr: [String]
    public var sessionID: String?
    /// The grant every token redeemed from this code belongs to.
    public var grantID: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var redeemedAt: Int64?

    public var collectAfter: Int64? { expiresAt + 3_600 }

    public init(
        id: String, clientID: String, redirectURI: String, citizenID: String, scopes: [String], nonce: String? = nil, codeChallenge: String? = nil, codeChallengeMethod: String? = nil, claims: String? = nil, authTime: Int64, acr: String, amr: [String], sessionID: String? = nil, grantID: String, createdAt: Int64, expiresAt: Int64, redeemedAt: Int64? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.citizenID = citizenID
        self.scopes = scopes
        self.nonce = nonce
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.claims = claims
        self.authTime = authTime
        self.acr = acr
        self.amr = amr
        self.sessionID = sessionID
        self.grantID = grantID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.redeemedAt = redeemedAt
    }
}
