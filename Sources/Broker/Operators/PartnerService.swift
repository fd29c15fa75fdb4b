import Foundation
import Storage

/// Partners: organisations allowed to register clients (RFC 7591 §1.2 initial access tokens).
public struct PartnerService: Sendable {
    let store: any Store
    let clock: any Clock
    let random: any RandomSource
    let audit: Auditor

    /// Creates a partner and its first initial access token, which is returned once.
    /// - Parameters:
    ///   - lifetime: seconds the token stays valid (nil: until revoked).
    ///   - uses: how many registrations it allows (nil: unlimited).
    public func add(name: String, lifetime: Int64? = nil, uses: Int? = nil) throws -> (partner: PartnerRecord, token: String) {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else { throw OAuthError.invalidRequest("partner name must be 1 to 200 characters") }
        if let lifetime, lifetime <= 0 { throw OAuthError.invalidRequest("token lifetime must be positive") }
        if let uses, uses <= 0 { throw OAuthError.invalidRequest("token uses must be positive") }
        let now = clock.now
        let partner = PartnerRecord(id: random.identifier("partner"), name: name, createdAt: now, disabledAt: nil)
        let token = "iat_" + random.token()
        let record = InitialAccessTokenRecord(
            id: random.identifier("iat"), partnerID: partner.id, tokenHash: SecretHash.of(token), createdAt: now,
            expiresAt: lifetime.map { now + $0 }, remainingUses: uses, revokedAt: nil)
        try store.transaction { tx in
            try tx.addPartner(partner)
            try tx.addInitialAccessToken(record)
        }
        audit.record("partner.created", by: .operatorCLI(), detail: "\(partner.id) \(name)")
        return (partner, token)
    }

    public func list() throws -> [PartnerRecord] { try store.partners() }
}
