import Storage

/// `authorization_code` (RFC 6749 §4.1.3, OIDC Core §3.1.3): redeems a code issued by the front
/// channel once, for the client it was issued to, with the same `redirect_uri` and the PKCE
/// verifier.
struct AuthorizationCodeGrant: TokenGrant {
    var grantType: String { "authorization_code" }

    /// Thrown inside the redemption transaction when the code turns out to be redeemed already.
    private struct AlreadyRedeemed: Error {}

    func issue(_ request: TokenRequest, client: Client, context: GrantContext) throws(OAuthError) -> TokenResponse {
        let code = try request.required("code")
        let hash = SecretHash.of(code)
        let record: AuthorizationCodeRecord
        do {
            record = try context.store.authorizationCode(hash: hash)
        } catch StorageError.notFound {
            throw .invalidGrant("the authorization code is invalid")
        } catch {
            throw .serverError(debug: "authorization code lookup: \(error)")
        }
        // RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization
        // server MUST deny the request and SHOULD revoke (when possible) all tokens previously
        // issued based on that authorization code."
        if record.redeemedAt != nil { throw revokeAfterReuse(record, context: context) }
        // §4.1.3: "ensure that the authorization code was issued to the authenticated
        // confidential client, or if the client is public, ensure that the code was issued to
        // "client_id" in the request".
        guard record.clientID == client.id else {
            throw .invalidGrant("the authorization code was issued to another client", debug: "\(client.id) presented a code of \(record.clientID)")
        }
        guard context.now < record.expiresAt else { throw .invalidGrant("the authorization code has expired") }
        // §4.1.3: "ensure that the "redirect_uri" parameter is present if the "redirect_uri"
        // parameter was included in the initial authorization request … and if included
        // ensure that their values are identical."
        guard request["redirect_uri"] == record.redirectURI else {
            throw .invalidGrant("redirect_uri must be identical to the one of the authorization request")
        }
        try checkPKCE(request, record: record, client: client)

        let scopes = record.scopes
        let refresh = context.issuesRefreshToken(scopes: scopes, client: client)
            ? context.refreshToken(grantID: record.grantID, clientID: client.id, scopes: scopes) : nil
        // The grant lives as long as the longest token issued from it.
        let grant = GrantRecord(
            id: record.grantID, clientID: client.id, citizenID: record.citizenID, scopes: scopes, claims: record.claims,
            authTime: record.authTime, acr: record.acr, amr: record.amr, sessionID: record.sessionID, createdAt: context.now,
            expiresAt: refresh?.record.expiresAt ?? context.now + context.tokens.lifetimes.accessToken)
        // Sign first, commit second: nothing is handed out unless the redemption committed.
        let response = try context.userTokens(
            grant: grant, scopes: scopes, client: client, nonce: record.nonce,
            idTokenClaims: ClaimsRequest(json: record.claims).idToken, refreshToken: refresh?.token)
        do {
            try context.store.transaction { tx in
                try tx.update(AuthorizationCodeRecord.self, id: hash) { stored in
                    guard stored.redeemedAt == nil else { throw AlreadyRedeemed() }
                    stored.redeemedAt = context.now
                }
                try tx.addGrant(grant)
                if let refresh { try tx.addRefreshToken(refresh.record) }
            }
        } catch is AlreadyRedeemed {
            throw revokeAfterReuse(record, context: context)   // lost a race with a concurrent redemption
        } catch {
            throw .serverError(debug: "code redemption: \(error)")
        }
        context.audit.record("token.issued", by: Actor(type: "client", id: client.id), citizen: record.citizenID, client: client.id,
                             detail: "authorization_code grant \(grant.id) scope \(scopes.joined(separator: " "))")
        return response
    }

    /// RFC 7636 §4.6, and RFC 9700 §4.8.2: a verifier without a challenge is refused too, so a
    /// PKCE downgrade cannot slip through.
    private func checkPKCE(_ request: TokenRequest, record: AuthorizationCodeRecord, client: Client) throws(OAuthError) {
        let verifier = request["code_verifier"]
        guard let challenge = record.codeChallenge else {
            if client.isPublic { throw .invalidGrant("a public client's code must be bound to a PKCE challenge") }
            if verifier != nil { throw .invalidGrant("code_verifier sent for a code issued without code_challenge") }
            return
        }
        guard record.codeChallengeMethod == "S256" else { throw .invalidGrant("only the S256 code_challenge_method is supported") }
        guard let verifier else { throw .invalidGrant("code_verifier is required") }
        guard PKCE.isWellFormed(verifier: verifier) else {
            throw .invalidGrant("code_verifier must be 43 to 128 unreserved characters (RFC 7636 §4.1)")
        }
        guard PKCE.verify(verifier: verifier, challenge: challenge) else { throw .invalidGrant("code_verifier does not match the code_challenge") }
    }

    private func revokeAfterReuse(_ record: AuthorizationCodeRecord, context: GrantContext) -> OAuthError {
        do {
            try context.store.revokeGrant(id: record.grantID, at: context.now, reason: "authorization code reused")
        } catch StorageError.notFound {
            // Never redeemed to the end: nothing was issued.
        } catch {
            return .serverError(debug: "revoking grant \(record.grantID) after code reuse: \(error)")
        }
        context.audit.record("token.code_reuse", by: Actor(type: "client", id: record.clientID), citizen: record.citizenID,
                             client: record.clientID, success: false, detail: "grant \(record.grantID) revoked")
        return .invalidGrant("the authorization code was already used")
    }
}
