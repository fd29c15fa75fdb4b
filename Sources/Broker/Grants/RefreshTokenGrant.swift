import Storage

/// `refresh_token` (RFC 6749 §6) with rotation: every use marks the token used and issues a new
/// one; presenting a used token again is reuse and revokes the whole grant (RFC 9700 §4.14.2).
struct RefreshTokenGrant: TokenGrant {
    var grantType: String { "refresh_token" }

    private struct AlreadyUsed: Error {}

    func issue(_ request: TokenRequest, client: Client, context: GrantContext) throws(OAuthError) -> TokenResponse {
        let hash = SecretHash.of(try request.required("refresh_token"))
        let token: RefreshTokenRecord
        let grant: GrantRecord
        do {
            token = try context.store.refreshToken(hash: hash)
            grant = try context.store.grant(id: token.grantID)
        } catch StorageError.notFound {
            throw .invalidGrant("the refresh token is invalid")
        } catch {
            throw .serverError(debug: "refresh token lookup: \(error)")
        }
        // §6: "validate the refresh token … and ensure that the refresh token was issued to the
        // authenticated client".
        guard token.clientID == client.id else { throw .invalidGrant("the refresh token is invalid", debug: "issued to \(token.clientID)") }
        guard grant.revokedAt == nil else { throw .invalidGrant("the refresh token was revoked") }
        if token.usedAt != nil { throw revokeAfterReuse(grant, context: context) }
        guard context.now < token.expiresAt else { throw .invalidGrant("the refresh token has expired") }

        // §6: the requested scope "MUST NOT include any scope not originally granted".
        let scopes = try request.scopes() ?? token.scopes
        for scope in scopes where !token.scopes.contains(scope) {
            throw .invalidScope("\(scope) was not granted")
        }
        // The new refresh token keeps the original scope (§6: "the refresh token scope MUST be
        // identical to that of the refresh token included by the client in the request").
        let next = context.refreshToken(grantID: grant.id, clientID: client.id, scopes: token.scopes)
        let response = try context.userTokens(
            grant: grant, scopes: scopes, client: client, nonce: nil,
            idTokenClaims: ClaimsRequest(json: grant.claims).idToken, refreshToken: next.token)
        do {
            try context.store.transaction { tx in
                try tx.update(RefreshTokenRecord.self, id: hash) { stored in
                    guard stored.usedAt == nil else { throw AlreadyUsed() }
                    stored.usedAt = context.now
                }
                try tx.addRefreshToken(next.record)
                try tx.update(GrantRecord.self, id: grant.id) { $0.expiresAt = max($0.expiresAt, next.record.expiresAt) }
            }
        } catch is AlreadyUsed {
            throw revokeAfterReuse(grant, context: context)
        } catch {
            throw .serverError(debug: "refresh token rotation: \(error)")
        }
        context.audit.record("token.refreshed", by: Actor(type: "client", id: client.id), citizen: grant.citizenID, client: client.id,
                             detail: "grant \(grant.id) scope \(scopes.joined(separator: " "))")
        return response
    }

    private func revokeAfterReuse(_ grant: GrantRecord, context: GrantContext) -> OAuthError {
        do {
            try context.store.revokeGrant(id: grant.id, at: context.now, reason: "refresh token reuse")
        } catch {
            return .serverError(debug: "revoking grant \(grant.id) after refresh token reuse: \(error)")
        }
        context.audit.record("token.refresh_reuse", by: Actor(type: "client", id: grant.clientID), citizen: grant.citizenID,
                             client: grant.clientID, success: false, detail: "grant \(grant.id) revoked")
        return .invalidGrant("the refresh token was already used; the grant is revoked")
    }
}
