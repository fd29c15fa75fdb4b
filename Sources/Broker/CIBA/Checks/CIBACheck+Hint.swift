import JOSE
import JSON
import Storage

extension CIBACheck {
    /// Exactly one hint (CIBA Core §7.1: "it is REQUIRED that the Client provide one (and only
    /// one) of the hints"): `login_hint` (the citizen ID), `id_token_hint` (an ID token this
    /// broker issued to this client), or `login_hint_token`, which the broker does not support.
    static let hint = CIBACheck("hint") { context throws(OAuthError) in
        let names = ["login_hint", "id_token_hint", "login_hint_token"].filter { context.value($0) != nil }
        guard names.count == 1, let name = names.first else {
            throw .invalidRequest("exactly one of login_hint, id_token_hint and login_hint_token is required")
        }
        switch name {
        case "login_hint":
            guard let id = context.value("login_hint").flatMap(CitizenID.init) else {
                throw .unknownUserID("login_hint must be a 13-digit citizen ID with a valid check digit")
            }
            context.citizenID = id.digits
        case "id_token_hint":
            context.citizenID = try IDTokenHint.citizen(context.value("id_token_hint") ?? "", context: context)
        default:
            throw .invalidRequest("login_hint_token is not supported; send login_hint (the citizen ID) or id_token_hint")
        }
    }

    /// The hinted citizen exists, has an active device to ask, and can meet `acr_values`.
    /// CIBA §13: "unknown_user_id: The OP is not able to identify which end-user the Client
    /// wishes to be authenticated by means of the hint provided in the request" — a citizen
    /// without a device cannot be asked either, and gets the same answer.
    static let citizen = CIBACheck("citizen") { context throws(OAuthError) in
        guard let id = context.citizenID else { throw .serverError(debug: "citizen check before the hint") }
        let citizen: CitizenRecord
        let devices: Int
        do {
            citizen = try context.store.citizen(id: id)
            devices = try context.store.activeDeviceCount(citizenID: id)
        } catch StorageError.notFound {
            throw .unknownUserID("the hint does not name a citizen who can be asked")
        } catch {
            throw .serverError(debug: "citizen lookup: \(error)")
        }
        guard devices > 0 else { throw .unknownUserID("the hint does not name a citizen who can be asked") }
        _ = try Assurance.satisfy(context.acrValues, with: Assurance(ial: citizen.ial, aal: Assurance.deviceApprovalAAL))
        context.citizen = citizen
    }
}

/// `id_token_hint` for CIBA: an ID token of this broker, for this client, recently valid.
enum IDTokenHint {
    /// The citizen of the hint. Its signature must be by a published key of ours, `typ` `JWT`
    /// (never an `at+jwt` access token, which carries the same `iss` and `aud`), `iss` ours,
    /// `aud` this client; it may have expired, but not more than `idTokenHintMaxAge` ago.
    ///
    /// The pairwise `sub` cannot be inverted, so the citizen is found among those who consented
    /// to this client: every ID token the broker issues follows a consent (the consent page, or
    /// the approval on the phone for CIBA, which records one). That is one hash per consenting
    /// citizen of the client; a keyed sub → citizen index is the obvious next step if a client
    /// ever has too many.
    static func citizen(_ token: String, context: CIBAContext) throws(OAuthError) -> String {
        let published = context.keys.publishedKeys
        let verified: VerifiedJWS
        do {
            verified = try JWS.verify(token, allowed: Set(context.keys.algorithms)) { header throws(JOSEError) in
                guard let kid = header.kid, let key = published.first(where: { $0.kid == kid }) else { throw .keyNotFound }
                return key
            }
        } catch {
            throw .invalidRequest("id_token_hint is not an ID token signed by this broker", debug: "\(error)")
        }
        guard verified.header.typ?.lowercased() ?? "jwt" == "jwt" else { throw .invalidRequest("id_token_hint is not an ID token") }
        guard let claims = try? JSONValue(parsing: verified.payload), claims.objectValue != nil else {
            throw .invalidRequest("id_token_hint has no claims")
        }
        guard claims["iss"]?.stringValue == context.configuration.issuer else { throw .invalidRequest("id_token_hint was not issued by this broker") }
        let audiences = claims["aud"].map { value in value.stringValue.map { [$0] } ?? (value.arrayValue ?? []).compactMap(\.stringValue) } ?? []
        guard audiences.contains(context.client.id) else { throw .invalidRequest("id_token_hint was issued to another client") }
        guard let expiry = claims["exp"]?.intValue else { throw .invalidRequest("id_token_hint has no exp") }
        guard expiry > context.now - context.configuration.idTokenHintMaxAge else {
            throw .invalidRequest("id_token_hint expired more than \(context.configuration.idTokenHintMaxAge) seconds ago")
        }
        guard let subject = claims["sub"]?.stringValue else { throw .invalidRequest("id_token_hint has no sub") }
        let consents: [ConsentRecord]
        do {
            consents = try context.store.find(ConsentRecord.self, where: "client_id", equals: context.client.id, limit: 1_000_000)
        } catch {
            throw .serverError(debug: "consent lookup: \(error)")
        }
        let sector = context.client.sectorIdentifier
        // A revoked consent ends the relationship: its old ID tokens no longer name anyone.
        guard let match = consents.first(where: {
            $0.revokedAt == nil && context.pairwise.subject(citizenID: $0.citizenID, sector: sector) == subject
        }) else {
            throw .unknownUserID("the citizen of id_token_hint is not known to this client")
        }
        return match.citizenID
    }
}
