import Storage

extension PartnerService {
    /// Disables a partner and revokes every initial access token it holds, so it can register
    /// no more clients. Clients it registered keep working until disabled one by one
    /// (`phisut clients disable`). Throws `not_found`.
    public func revoke(id: String) throws {
        let now = clock.now
        do {
            try store.transaction { tx in
                try tx.update(PartnerRecord.self, id: id) { $0.disabledAt = $0.disabledAt ?? now }
                for token in try tx.initialAccessTokens(partnerID: id) { try tx.revokeInitialAccessToken(id: token.id, at: now) }
            }
        } catch StorageError.notFound {
            throw OAuthError.notFound("no partner \(id)")
        }
        audit.record("partner.revoked", by: .operatorCLI(), detail: id)
    }

    /// The initial access tokens of a partner (hashes and state only).
    public func tokens(partnerID: String) throws -> [InitialAccessTokenRecord] { try store.initialAccessTokens(partnerID: partnerID) }
}
