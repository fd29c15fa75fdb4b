/// Relying-party partners and their RFC 7591 initial access tokens.
public protocol PartnerStore: RecordStore {
    /// Throws `.alreadyExists`.
    func addPartner(_ partner: PartnerRecord) throws
    /// Throws `.notFound`.
    func partner(id: String) throws -> PartnerRecord
    /// All partners, ordered by id.
    func partners() throws -> [PartnerRecord]
    /// Throws `.alreadyExists` if the id or token hash is taken.
    func addInitialAccessToken(_ token: InitialAccessTokenRecord) throws
    /// The token with that hash, whatever its state. Throws `.notFound`.
    func initialAccessToken(tokenHash: String) throws -> InitialAccessTokenRecord
    /// All tokens of a partner, ordered by id.
    func initialAccessTokens(partnerID: String) throws -> [InitialAccessTokenRecord]
    /// Revokes from `at`; a token already revoked keeps the first time. Throws `.notFound`.
    @discardableResult
    func revokeInitialAccessToken(id: String, at: Int64) throws -> InitialAccessTokenRecord
    /// Atomically spends one use of the token and returns it after the spend. Throws `.notFound`
    /// if no such token, or it is revoked, expired (`now >= expiresAt`) or has no uses left.
    @discardableResult
    func consumeInitialAccessToken(tokenHash: String, now: Int64) throws -> InitialAccessTokenRecord
}

extension PartnerStore {
    public func addPartner(_ partner: PartnerRecord) throws { try create(partner) }

    public func partner(id: String) throws -> PartnerRecord { try get(PartnerRecord.self, id: id) }

    public func partners() throws -> [PartnerRecord] { try all(PartnerRecord.self) }

    public func addInitialAccessToken(_ token: InitialAccessTokenRecord) throws { try create(token) }

    public func initialAccessToken(tokenHash: String) throws -> InitialAccessTokenRecord {
        try unique(InitialAccessTokenRecord.self, where: "token_hash", equals: tokenHash)
    }

    public func initialAccessTokens(partnerID: String) throws -> [InitialAccessTokenRecord] {
        try find(InitialAccessTokenRecord.self, where: "partner_id", equals: partnerID, limit: 10_000)
    }

    @discardableResult
    public func revokeInitialAccessToken(id: String, at: Int64) throws -> InitialAccessTokenRecord {
        try update(InitialAccessTokenRecord.self, id: id) { $0.revokedAt = $0.revokedAt ?? at }
    }

    @discardableResult
    public func consumeInitialAccessToken(tokenHash: String, now: Int64) throws -> InitialAccessTokenRecord {
        try transaction { tx in
            let found = try tx.initialAccessToken(tokenHash: tokenHash)
            // The checks run inside `update` on the freshly locked row, so two concurrent
            // consumers cannot both spend the last use.
            return try tx.update(InitialAccessTokenRecord.self, id: found.id) { token in
                guard token.isUsable(at: now) else { throw StorageError.notFound }
                token.remainingUses = token.remainingUses.map { $0 - 1 }
            }
        }
    }
}
