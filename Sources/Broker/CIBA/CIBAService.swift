import Foundation
import Storage

/// The backchannel authentication endpoint (CIBA Core §7): a confidential client asks the
/// broker to authenticate a citizen who is not at a browser; the request goes to the citizen's
/// phones as a push approval showing the client's name and the binding message.
public struct CIBAService: Sendable {
    let store: any Store
    let clock: any Clock
    let random: any RandomSource
    let audit: Auditor
    let configuration: BrokerConfiguration
    let authenticator: ClientAuthenticator
    let approvals: ApprovalService
    let keys: KeyManager
    let pairwise: PairwiseSubjects
    let ids: AuthReqIDs

    /// This endpoint's URL, an accepted audience of client assertions (CIBA §7.1).
    public var url: String { configuration.issuer + "/bc-authorize" }

    /// Authenticates the client, runs `CIBAPipeline.backchannelAuthentication`, applies the
    /// anti push-bombing rule, and starts the request.
    ///
    /// Throws the CIBA §13 errors, plus `slow_down` (HTTP 429) when the citizen already has
    /// `maxPendingApprovals` waiting or received `maxApprovalsPerHour` in the last hour: CIBA has
    /// no code for "this citizen gets too many requests", and `slow_down` tells the client the
    /// one thing it can do — wait — without claiming the citizen refused (`access_denied` would).
    public func authenticate(_ request: BackchannelAuthenticationRequest) throws(OAuthError) -> BackchannelAuthenticationResponse {
        let client = try authenticator.authenticate(request.credentials, endpoint: url)
        let now = clock.now
        let context: CIBAContext
        do {
            context = try CIBAPipeline.run(CIBAPipeline.backchannelAuthentication, on: CIBAContext(
                parameters: request.parameters, client: client, store: store, keys: keys, pairwise: pairwise,
                configuration: configuration, now: now))
        } catch {
            audit.record("ciba.refused", by: Actor(type: "client", id: client.id), client: client.id, success: false,
                         detail: "\(error.code): \(error.errorDescription)")
            throw error
        }
        guard let citizenID = context.citizenID, let mode = client.backchannelTokenDeliveryMode else {
            throw .serverError(debug: "CIBA pipeline passed without citizen or delivery mode")
        }
        do {
            let seed = random.token()
            let authReqID = ids.derive(seed: seed)
            let hash = AuthReqIDs.hash(authReqID)
            let approval = ApprovalRecord(
                id: random.identifier("apr"), citizenID: citizenID, clientID: client.id, clientName: client.name,
                scopes: context.scopes, claims: ScopeCatalog.claimNames(scopes: context.scopes, claimsRequest: nil),
                bindingMessage: context.bindingMessage, numberChallenge: nil, wrongNumbers: 0, status: .pending, origin: "ciba",
                originID: hash, createdAt: now, expiresAt: now + context.expiresIn, amr: [])
            let record = CIBARequestRecord(
                id: hash, seed: seed, clientID: client.id, citizenID: citizenID, scopes: context.scopes,
                acrValues: context.acrValues, bindingMessage: context.bindingMessage, deliveryMode: mode,
                clientNotificationToken: context.clientNotificationToken, approvalID: approval.id, createdAt: now,
                expiresAt: approval.expiresAt, interval: configuration.cibaPollInterval)
            // The anti push-bombing rule is checked in the transaction that stores the request.
            switch try approvals.createCIBA(approval, request: record) {
            case .admitted: break
            case .tooManyPending:
                throw refusedForLoad(client: client, citizenID: citizenID, detail: "too many pending",
                                     "too many requests are waiting for this citizen; try again later")
            case .hourlyCapReached:
                throw refusedForLoad(client: client, citizenID: citizenID, detail: "hourly cap",
                                     "this citizen received too many requests in the last hour; try again later")
            }
            audit.record("ciba.requested", by: Actor(type: "client", id: client.id), citizen: citizenID, client: client.id,
                         detail: "\(approval.id) \(mode) scope \(context.scopes.joined(separator: " "))" + (context.signed ? " signed" : ""))
            return BackchannelAuthenticationResponse(authReqID: authReqID, expiresIn: context.expiresIn, interval: record.interval)
        } catch let error as OAuthError {
            throw error
        } catch {
            throw .serverError(debug: "CIBA request: \(error)")
        }
    }

    private func refusedForLoad(client: Client, citizenID: String, detail: String, _ description: String) -> OAuthError {
        audit.record("ciba.refused", by: Actor(type: "client", id: client.id), citizen: citizenID, client: client.id,
                     success: false, detail: "slow_down: \(detail)")
        return .tooManyRequests(description)
    }
}
