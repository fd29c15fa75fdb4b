import JSON
import Storage

/// One grant type of the token endpoint (RFC 6749 §4). The endpoint has already parsed the
/// request, authenticated the client and checked that the client registered this grant type;
/// the grant checks its own parameters and issues the tokens.
public protocol TokenGrant: Sendable {
    /// The `grant_type` value it serves.
    var grantType: String { get }
    func issue(_ request: TokenRequest, client: Client, context: GrantContext) throws(OAuthError) -> TokenResponse
}

/// What grants may use: storage, time, token signing, pairwise subjects, the audit log.
public struct GrantContext: Sendable {
    let store: any Store
    let now: Int64
    let random: any RandomSource
    let tokens: TokenIssuer
    let pairwise: PairwiseSubjects
    let audit: Auditor
}

extension GrantContext {
    /// A new opaque refresh token and its record (stored hashed, RFC 9700 §4.14).
    func refreshToken(grantID: String, clientID: String, scopes: [String]) -> (token: String, record: RefreshTokenRecord) {
        let token = random.token()
        return (token, RefreshTokenRecord(
            id: SecretHash.of(token), grantID: grantID, clientID: clientID, scopes: scopes,
            createdAt: now, expiresAt: now + tokens.lifetimes.refreshToken))
    }

    /// Refresh tokens only when the citizen granted `offline_access` and the client may redeem
    /// them (OIDC Core §11).
    func issuesRefreshToken(scopes: [String], client: Client) -> Bool {
        scopes.contains("offline_access") && client.grantTypes.contains("refresh_token")
    }

    /// Loads what the ID token needs about a grant's citizen and issues the tokens of a grant.
    func userTokens(grant: GrantRecord, scopes: [String], client: Client, nonce: String?, idTokenClaims: Set<String>,
                    refreshToken: String?) throws(OAuthError) -> TokenResponse {
        let subject = pairwise.subject(citizenID: grant.citizenID, sector: client.sectorIdentifier)
        let access = try tokens.accessToken(.init(
            subject: subject, clientID: client.id, scopes: scopes, authTime: grant.authTime, acr: grant.acr, amr: grant.amr,
            grantID: grant.id), now: now)
        var idToken: String?
        if scopes.contains("openid") {
            var released: [String: JSONValue] = [:]
            if !idTokenClaims.isEmpty {
                let citizen: CitizenRecord
                do { citizen = try store.citizen(id: grant.citizenID) } catch { throw .invalidGrant("the citizen of this grant is unknown", debug: "\(error)") }
                released = ClaimsRelease.claims(of: citizen, scopes: [], requested: idTokenClaims)
                if scopes.contains("pid"), idTokenClaims.contains("pid") { released["pid"] = .string(citizen.id) }
            }
            idToken = try tokens.idToken(.init(
                subject: subject, authTime: grant.authTime, nonce: nonce, acr: grant.acr, amr: grant.amr, sessionID: grant.sessionID,
                assurance: ClaimsRelease.assurance(acr: grant.acr), accessToken: access.token, claims: released), client: client, now: now)
        }
        return TokenResponse(accessToken: access.token, expiresIn: tokens.lifetimes.accessToken, scopes: scopes, idToken: idToken,
                             refreshToken: refreshToken)
    }
}
