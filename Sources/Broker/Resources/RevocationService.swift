import Storage

/// Token revocation (RFC 7009): a client revokes its own refresh tokens (and with them the
/// grant) or access tokens (by `jti`, and their grant).
public struct RevocationService: Sendable {
    let status: TokenStatus
    let store: any Store
    let clock: any Clock
    let audit: Auditor

    /// RFC 7009 §2.2: "invalid tokens do not cause an error response" — unknown, expired and
    /// other clients' tokens are silently ignored; only storage failures throw.
    public func revoke(token: String, hint: String?, client: Client) throws(OAuthError) {
        let now = clock.now
        let actor = Actor(type: "client", id: client.id)
        if TokenStatus.looksLikeJWT(token) {
            guard let access = try? status.activeAccessToken(token, now: now).0, access.clientID == client.id else { return }
            do {
                try store.revokeAccessToken(jti: access.jti, expiresAt: access.expiresAt)
                if let grantID = access.grantID { try store.revokeGrant(id: grantID, at: now, reason: "access token revoked by client") }
            } catch {
                throw .serverError(debug: "revoking access token: \(error)")
            }
            audit.record("token.revoked", by: actor, client: client.id, detail: "access token \(access.jti)" + (access.grantID.map { " grant \($0)" } ?? ""))
            return
        }
        do {
            let record = try store.refreshToken(hash: SecretHash.of(token))
            guard record.clientID == client.id else { return }
            let grant = try store.revokeGrant(id: record.grantID, at: now, reason: "refresh token revoked by client")
            audit.record("token.revoked", by: actor, citizen: grant.citizenID, client: client.id, detail: "refresh token, grant \(grant.id)")
        } catch StorageError.notFound {
            return
        } catch {
            throw .serverError(debug: "revoking refresh token: \(error)")
        }
    }
}
