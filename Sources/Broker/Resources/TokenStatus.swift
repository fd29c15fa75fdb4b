import Storage

/// Whether an access or refresh token is still good: verified, unexpired, not revoked by `jti`,
/// and its grant not revoked. Shared by userinfo, introspection and revocation.
struct TokenStatus: Sendable {
    let store: any Store
    let tokens: TokenIssuer

    /// An active access token and its grant (nil for client_credentials). Throws `invalid_token`.
    func activeAccessToken(_ token: String, now: Int64) throws(OAuthError) -> (VerifiedAccessToken, GrantRecord?) {
        let verified = try tokens.verifyAccessToken(token, now: now)
        do {
            if try store.isAccessTokenRevoked(jti: verified.jti) { throw OAuthError.invalidToken("the access token was revoked") }
            guard let grantID = verified.grantID else { return (verified, nil) }
            let grant = try store.grant(id: grantID)
            guard grant.revokedAt == nil else { throw OAuthError.invalidToken("the access token's grant was revoked") }
            return (verified, grant)
        } catch let error as OAuthError {
            throw error
        } catch StorageError.notFound {
            throw .invalidToken("the access token's grant no longer exists")
        } catch {
            throw .serverError(debug: "token status: \(error)")
        }
    }

    /// An active refresh token of `clientID` and its grant, or nil (unknown, another client's,
    /// used, expired, revoked).
    func activeRefreshToken(_ token: String, clientID: String, now: Int64) throws(OAuthError) -> (RefreshTokenRecord, GrantRecord)? {
        do {
            let record = try store.refreshToken(hash: SecretHash.of(token))
            guard record.clientID == clientID, record.usedAt == nil, now < record.expiresAt else { return nil }
            let grant = try store.grant(id: record.grantID)
            guard grant.revokedAt == nil else { return nil }
            return (record, grant)
        } catch StorageError.notFound {
            return nil
        } catch {
            throw .serverError(debug: "refresh token status: \(error)")
        }
    }

    /// A compact JWS has exactly two dots; opaque refresh tokens (base64url) have none.
    static func looksLikeJWT(_ token: String) -> Bool { token.utf8.lazy.filter { $0 == UInt8(ascii: ".") }.count == 2 }
}
