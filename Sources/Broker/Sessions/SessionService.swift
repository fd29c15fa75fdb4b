import Foundation
import Storage

/// A broker session as the browser got it: the cookie value appears only here, once; the
/// store keeps its SHA-256.
public struct IssuedSession: Sendable {
    public let cookie: String
    public let record: BrokerSessionRecord
}

/// The citizen's single-sign-on session at the broker: a random cookie (256 bits), stored
/// hashed, with a public `sid` for the ID token (OIDC Front-/Back-Channel Logout §2) and the
/// time and strength of the authentication it remembers.
public struct SessionService: Sendable {
    let store: any Store
    let clock: any Clock
    let random: any RandomSource
    let audit: Auditor
    let configuration: BrokerConfiguration

    /// Starts a session after the citizen authenticated now; ends `replacing` (the browser's
    /// previous session cookie) if there was one.
    func start(citizenID: String, deviceID: String?, assurance: Assurance, amr: [String], replacing previous: String?) throws -> IssuedSession {
        if let previous { end(cookie: previous, reason: "replaced") }
        let now = clock.now
        let cookie = random.token()
        let record = BrokerSessionRecord(
            id: SecretHash.of(cookie), sid: random.identifier("sid"), citizenID: citizenID, deviceID: deviceID,
            authTime: now, acr: assurance.acr, amr: amr, createdAt: now, expiresAt: now + configuration.sessionLifetime)
        try store.addSession(record)
        audit.record("session.started", by: deviceID.map(Actor.device) ?? .anonymous, citizen: citizenID, detail: record.sid)
        return IssuedSession(cookie: cookie, record: record)
    }

    /// The live session of this cookie: known, not ended, not expired. Nil otherwise.
    public func session(cookie: String?) -> BrokerSessionRecord? {
        guard let cookie, !cookie.isEmpty, cookie.utf8.count <= 128 else { return nil }
        guard let record = try? store.session(hash: SecretHash.of(cookie)) else { return nil }
        guard record.endedAt == nil, record.expiresAt > clock.now else { return nil }
        return record
    }

    /// Ends the session of this cookie, if it is live. Returns the ended session.
    @discardableResult
    public func end(cookie: String?, reason: String = "logout") -> BrokerSessionRecord? {
        guard let live = session(cookie: cookie) else { return nil }
        guard let ended = try? store.endSession(hash: live.id, at: clock.now) else { return nil }
        audit.record("session.ended", by: .anonymous, citizen: ended.citizenID, detail: "\(ended.sid): \(reason)")
        return ended
    }
}
