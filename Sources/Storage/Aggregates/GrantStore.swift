/// Authorization codes, grants and their refresh tokens, and revoked access tokens: the
/// token family of one authorization.
public protocol GrantStore: RecordStore {
    func addAuthorizationCode(_ code: AuthorizationCodeRecord) throws
    /// Throws `.notFound`.
    func authorizationCode(hash: String) throws -> AuthorizationCodeRecord
    func addGrant(_ grant: GrantRecord) throws
    /// Throws `.notFound`.
    func grant(id: String) throws -> GrantRecord
    /// Revokes the grant (first time and reason kept); its refresh tokens stop working.
    @discardableResult
    func revokeGrant(id: String, at: Int64, reason: String) throws -> GrantRecord
    /// A citizen's grants, any state.
    func grants(citizenID: String) throws -> [GrantRecord]
    func addRefreshToken(_ token: RefreshTokenRecord) throws
    /// Throws `.notFound`.
    func refreshToken(hash: String) throws -> RefreshTokenRecord
    /// Records an access token's `jti` as revoked until it expires.
    func revokeAccessToken(jti: String, expiresAt: Int64) throws
    func isAccessTokenRevoked(jti: String) throws -> Bool
}

extension GrantStore {
    public func addAuthorizationCode(_ code: AuthorizationCodeRecord) throws { try create(code) }
    public func authorizationCode(hash: String) throws -> AuthorizationCodeRecord {
        try get(AuthorizationCodeRecord.self, id: hash)
    }
    public func addGrant(_ grant: GrantRecord) throws { try create(grant) }
    public func grant(id: String) throws -> GrantRecord { try get(GrantRecord.self, id: id) }

    @discardableResult
    public func revokeGrant(id: String, at: Int64, reason: String) throws -> GrantRecord {
        try update(GrantRecord.self, id: id) {
            if $0.revokedAt == nil {
                $0.revokedAt = at
                $0.revocationReason = reason
            }
        }
    }

    public func grants(citizenID: String) throws -> [GrantRecord] {
        try find(GrantRecord.self, where: "citizen_id", equals: citizenID, limit: 10_000)
    }

    public func addRefreshToken(_ token: RefreshTokenRecord) throws { try create(token) }
    public func refreshToken(hash: String) throws -> RefreshTokenRecord { try get(RefreshTokenRecord.self, id: hash) }

    public func revokeAccessToken(jti: String, expiresAt: Int64) throws {
        do {
            try create(RevokedTokenRecord(id: jti, expiresAt: expiresAt))
        } catch StorageError.alreadyExists {
            // Revoking twice is not an error (RFC 7009 §2.2).
        }
    }

    public func isAccessTokenRevoked(jti: String) throws -> Bool {
        do {
            _ = try get(RevokedTokenRecord.self, id: jti)
            return true
        } catch StorageError.notFound {
            return false
        }
    }
}
