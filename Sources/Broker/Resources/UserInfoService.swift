import JSON
import Storage

/// The userinfo endpoint (OIDC Core §5.3): the citizen's claims for an access token, by the
/// grant's scopes and its `claims.userinfo` request.
public struct UserInfoService: Sendable {
    let status: TokenStatus
    let store: any Store
    let clock: any Clock

    /// Claims for `accessToken`: `sub` always, `ial`/`aal`, then the released user claims.
    /// Throws `invalid_token` (401) or `insufficient_scope` (403) for a token without `openid`.
    public func claims(accessToken: String) throws(OAuthError) -> JSONValue {
        let (token, grant) = try status.activeAccessToken(accessToken, now: clock.now)
        guard token.scopes.contains("openid"), let grant else {
            throw .insufficientScope("the access token does not carry the openid scope")
        }
        let citizen: CitizenRecord
        do { citizen = try store.citizen(id: grant.citizenID) } catch { throw .invalidToken("the citizen of this token is unknown", debug: "\(error)") }
        var claims = ClaimsRelease.claims(of: citizen, scopes: token.scopes, requested: ClaimsRequest(json: grant.claims).userinfo)
        if let assurance = ClaimsRelease.assurance(acr: grant.acr) {
            claims["ial"] = .string(assurance.ial)
            claims["aal"] = .string(assurance.aal)
        }
        // §5.3.2: "The sub (subject) Claim MUST always be returned in the UserInfo Response."
        claims["sub"] = .string(token.subject)
        return .object(claims)
    }
}
