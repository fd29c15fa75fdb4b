import Storage

/// `urn:openid:params:grant-type:ciba` (CIBA Core §10.1, §11): the client polls with the
/// `auth_req_id` it got from `/bc-authorize` (or was pinged with) until the citizen decided on
/// the phone; tokens are issued once, as in the login flow, with `auth_time` and `acr` from the
/// device approval.
struct CIBAGrant: TokenGrant {
    var grantType: String { CIBA.grantType }

    private struct AlreadyIssued: Error {}

    func issue(_ request: TokenRequest, client: Client, context: GrantContext) throws(OAuthError) -> TokenResponse {
        let hash = AuthReqIDs.hash(try request.required("auth_req_id"))
        let record: CIBARequestRecord
        let approval: ApprovalRecord
        do {
            record = try context.store.cibaRequest(hash: hash)
            approval = try context.store.approval(id: record.approvalID)
        } catch StorageError.notFound {
            throw .invalidGrant("the auth_req_id is invalid")
        } catch {
            throw .serverError(debug: "CIBA request lookup: \(error)")
        }
        // §11: "invalid_grant: … the auth_req_id … was issued to another Client".
        guard record.clientID == client.id else {
            throw .invalidGrant("the auth_req_id is invalid", debug: "\(client.id) presented a request of \(record.clientID)")
        }
        var outcome = CIBAPollOutcome.pending
        do {
            try context.store.update(CIBARequestRecord.self, id: hash) { stored in
                outcome = stored.poll(now: context.now, approval: approval.status)
            }
        } catch {
            throw .serverError(debug: "CIBA poll: \(error)")
        }
        switch outcome {
        case .pending: throw .authorizationPending("the citizen has not decided yet")
        case .slowDown(let interval): throw .slowDown("polling too fast: wait at least \(interval) seconds between requests")
        case .expired: throw .expiredToken("the request has expired; start a new one")
        case .denied: throw .accessDeniedAtToken("the citizen denied the request")
        case .alreadyIssued: throw .invalidGrant("tokens were already issued for this auth_req_id")
        case .approved: return try redeem(record, approval: approval, client: client, context: context)
        }
    }

    private func redeem(_ record: CIBARequestRecord, approval: ApprovalRecord, client: Client,
                        context: GrantContext) throws(OAuthError) -> TokenResponse {
        guard let authTime = approval.decidedAt, let acr = approval.acr else {
            throw .serverError(debug: "approved approval \(approval.id) without decidedAt or acr")
        }
        // acr_values were meetable when the request was made; the citizen's IAL may have changed.
        if let reached = AuthorizationService.assurance(acr: acr) { _ = try Assurance.satisfy(record.acrValues, with: reached) }
        let scopes = record.scopes
        let grantID = context.random.identifier("grt")
        let refresh = context.issuesRefreshToken(scopes: scopes, client: client)
            ? context.refreshToken(grantID: grantID, clientID: client.id, scopes: scopes) : nil
        let grant = GrantRecord(
            id: grantID, clientID: client.id, citizenID: record.citizenID, scopes: scopes, authTime: authTime, acr: acr,
            amr: approval.amr, createdAt: context.now,
            expiresAt: refresh?.record.expiresAt ?? context.now + context.tokens.lifetimes.accessToken)
        let response = try context.userTokens(grant: grant, scopes: scopes, client: client, nonce: nil, idTokenClaims: [],
                                              refreshToken: refresh?.token)
        let claims = ScopeCatalog.claimNames(scopes: scopes, claimsRequest: nil)
        do {
            try context.store.transaction { tx in
                try tx.update(CIBARequestRecord.self, id: record.id) { stored in
                    guard stored.issuedAt == nil else { throw AlreadyIssued() }
                    stored.issuedAt = context.now
                    stored.grantID = grantID
                }
                try tx.addGrant(grant)
                if let refresh { try tx.addRefreshToken(refresh.record) }
                // The approval on the phone showed the client and the claims: it is the
                // citizen's consent, listed and revocable like one given on the consent page.
                _ = try ConsentService.extend(tx, citizenID: record.citizenID, clientID: client.id, scopes: scopes,
                                              claims: claims, now: context.now)
            }
        } catch is AlreadyIssued {
            throw .invalidGrant("tokens were already issued for this auth_req_id")
        } catch {
            throw .serverError(debug: "CIBA issuance: \(error)")
        }
        context.audit.record("token.issued", by: Actor(type: "client", id: client.id), citizen: record.citizenID, client: client.id,
                             detail: "ciba grant \(grantID) scope \(scopes.joined(separator: " "))")
        return response
    }
}
