import Foundation
import Storage

/// Citizens' consents: which client may receive which scopes and claims. Given on the consent
/// page the first time a client asks for a scope set, remembered, listed and revocable by the
/// citizen (DESIGN.md, privacy rules).
public struct ConsentService: Sendable {
    let store: any Store
    let clock: any Clock
    let audit: Auditor

    /// Whether a live consent of the citizen for the client covers every scope and claim asked.
    public func covers(citizenID: String, clientID: String, scopes: [String], claims: [String]) -> Bool {
        guard let consent = try? store.consent(citizenID: citizenID, clientID: clientID), consent.revokedAt == nil else {
            return false
        }
        return Set(scopes).isSubset(of: consent.scopes) && Set(claims).isSubset(of: consent.claims)
    }

    /// Records the citizen's consent, adding these scopes and claims to what the client already had.
    func grant(citizenID: String, clientID: String, scopes: [String], claims: [String]) throws {
        let consent = try Self.extend(store, citizenID: citizenID, clientID: clientID, scopes: scopes, claims: claims, now: clock.now)
        audit.record("consent.given", by: .anonymous, citizen: citizenID, client: clientID, detail: consent.scopes.joined(separator: " "))
    }

    /// Adds `scopes` and `claims` to the citizen's live consent for the client in `store` (the
    /// store or a transaction's view of it) and returns the saved consent. A revoked consent is
    /// replaced, not extended: the citizen withdrew what it held. A live one keeps `grantedAt`.
    static func extend(_ store: any Store, citizenID: String, clientID: String, scopes: [String], claims: [String],
                       now: Int64) throws -> ConsentRecord {
        var consent = ConsentRecord(
            id: ConsentRecordID.make(citizenID: citizenID, clientID: clientID), citizenID: citizenID, clientID: clientID,
            scopes: scopes, claims: claims, grantedAt: now, updatedAt: now, revokedAt: nil)
        if let existing = try? store.consent(citizenID: citizenID, clientID: clientID), existing.revokedAt == nil {
            consent.scopes = existing.scopes + scopes.filter { !existing.scopes.contains($0) }
            consent.claims = existing.claims + claims.filter { !existing.claims.contains($0) }
            consent.grantedAt = existing.grantedAt
        }
        try store.saveConsent(consent)
        return consent
    }

    /// Records a refusal on the consent page (nothing is stored but the audit event).
    func denied(citizenID: String, clientID: String, scopes: [String]) {
        audit.record("consent.denied", by: .anonymous, citizen: citizenID, client: clientID, success: false,
                     detail: scopes.joined(separator: " "))
    }

    /// The citizen's live consents, by client id.
    public func list(citizenID: String) throws -> [ConsentRecord] {
        try store.consents(citizenID: citizenID).filter { $0.revokedAt == nil }.sorted { $0.clientID < $1.clientID }
    }

    /// Revokes the citizen's consent for `clientID` and every grant the client holds for the
    /// citizen, so its refresh tokens stop working too. Throws `not_found` when there is no live
    /// consent.
    public func revoke(citizenID: String, clientID: String) throws {
        let now = clock.now
        let id = ConsentRecordID.make(citizenID: citizenID, clientID: clientID)
        // One transaction: a consent marked revoked while the client's grants live on would
        // leave its refresh tokens working after the citizen said no.
        do {
            try store.transaction { tx in
                try tx.update(ConsentRecord.self, id: id) { consent in
                    guard consent.revokedAt == nil else { throw OAuthError.notFound("no consent for \(clientID)") }
                    consent.revokedAt = now
                    consent.updatedAt = now
                }
                for grant in try tx.grants(citizenID: citizenID) where grant.clientID == clientID && grant.revokedAt == nil {
                    try tx.revokeGrant(id: grant.id, at: now, reason: "consent revoked")
                }
            }
        } catch StorageError.notFound {
            throw OAuthError.notFound("no consent for \(clientID)")
        }
        audit.record("consent.revoked", by: .anonymous, citizen: citizenID, client: clientID)
    }
}

/// The consent record's key, as `ConsentStore` builds it.
enum ConsentRecordID {
    static func make(citizenID: String, clientID: String) -> String { citizenID + "|" + clientID }
}
