import JSON

/// Token introspection (RFC 7662) for authenticated confidential clients.
public struct IntrospectionService: Sendable {
    let status: TokenStatus
    let clock: any Clock
    let issuer: String
    let pairwise: PairwiseSubjects

    /// RFC 7662 §2.2: `{"active": false}` for anything unknown, expired, revoked, or another
    /// client's refresh token; the token's metadata otherwise. `hint` only orders the lookups.
    public func introspect(token: String, hint: String?, client: Client) throws(OAuthError) -> JSONValue {
        let now = clock.now
        let refreshFirst = hint == "refresh_token" || !TokenStatus.looksLikeJWT(token)
        for kind in refreshFirst ? [false, true] : [true, false] {
            if kind, TokenStatus.looksLikeJWT(token), let access = try? status.activeAccessToken(token, now: now).0 {
                return .object([
                    "active": true, "token_type": "access_token", "scope": .string(access.scopes.joined(separator: " ")),
                    "client_id": .string(access.clientID), "sub": .string(access.subject), "exp": .int(access.expiresAt),
                    "iat": .int(access.issuedAt), "iss": .string(issuer), "aud": access.claims["aud"] ?? .string(access.clientID),
                    "jti": .string(access.jti),
                ])
            }
            if !kind, let (refresh, grant) = try status.activeRefreshToken(token, clientID: client.id, now: now) {
                return .object([
                    "active": true, "token_type": "refresh_token", "scope": .string(refresh.scopes.joined(separator: " ")),
                    "client_id": .string(refresh.clientID),
                    "sub": .string(pairwise.subject(citizenID: grant.citizenID, sector: client.sectorIdentifier)),
                    "exp": .int(refresh.expiresAt), "iat": .int(refresh.createdAt), "iss": .string(issuer),
                ])
            }
        }
        return ["active": false]
    }
}
