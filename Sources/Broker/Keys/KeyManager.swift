import Foundation
import JOSE
import JSON
import Storage

/// The broker's own signing keys: one active key per algorithm, generated on first start and
/// kept in the store; retired keys stay in the JWKS until the tokens they signed have expired.
///
/// Keys are read from the store once and cached; `reload()` picks up a rotation done by another
/// process (`phisut keys rotate`), and the server calls it periodically.
public final class KeyManager: @unchecked Sendable {
    /// Every algorithm the broker can sign with. RS256 is the OIDC default for ID tokens.
    public static let algorithms: [JWSAlgorithm] = [.rs256, .ps256, .es256, .edDSA]

    /// The algorithms this instance keeps keys for.
    public let algorithms: [JWSAlgorithm]

    private struct Snapshot {
        var active: [JWSAlgorithm: JWK] = [:]
        var published: [JWK] = []
        var jwksDocument: [UInt8] = []
        /// What the snapshot was built from: each kept key's id and whether it is retired.
        var source: [String] = []
    }

    private let store: any Store
    private let clock: any Clock
    private let retiredKeyPublication: Int64
    private let lock = NSLock()   // guards `snapshot`; reads are a pointer copy
    private var snapshot = Snapshot()

    init(store: any Store, clock: any Clock, algorithms: [JWSAlgorithm], retiredKeyPublication: Int64) {
        self.algorithms = algorithms
        self.store = store
        self.clock = clock
        self.retiredKeyPublication = retiredKeyPublication
    }

    /// Generates a key for every algorithm that has no active one, then loads the cache.
    public func ensureKeys() throws {
        let active = Set(try store.signingKeys().filter { $0.retiredAt == nil }.compactMap { JWSAlgorithm(rawValue: $0.algorithm) })
        for algorithm in algorithms where !active.contains(algorithm) {
            try store.addSigningKey(try makeKey(algorithm))
        }
        try reload()
    }

    /// Makes a new key for every algorithm and retires the old ones, which stay published for
    /// `retiredKeyPublication` seconds. Returns the new key ids.
    @discardableResult
    public func rotate() throws -> [String] {
        let now = clock.now
        let fresh = try algorithms.map { try makeKey($0) }
        try store.transaction { tx in
            for old in try tx.signingKeys() where old.retiredAt == nil {
                try tx.retireSigningKey(id: old.id, at: now, removeAfter: now + retiredKeyPublication)
            }
            for key in fresh { try tx.addSigningKey(key) }
        }
        try reload()
        return fresh.map(\.id)
    }

    /// Re-reads the keys from the store. Parsing a private key runs OpenSSL's key checks (costly
    /// for RSA), so keys are parsed again only when the set of keys or their states changed.
    public func reload() throws {
        let now = clock.now
        let records = try store.signingKeys().filter { record in
            record.removeAfter.map { $0 > now } ?? true
        }
        let source = records.map { $0.id + ($0.retiredAt == nil ? ":active" : ":retired") }
        if lock.withLock({ snapshot.source == source && !source.isEmpty }) { return }
        var next = Snapshot()
        next.source = source
        for record in records {
            guard let algorithm = JWSAlgorithm(rawValue: record.algorithm) else { continue }
            var key = try JWK(jsonText: record.privateJWK)
            key.kid = record.id
            key.use = "sig"
            key.algorithm = algorithm
            if record.retiredAt == nil { next.active[algorithm] = key }
            next.published.append(key.publicKey)
        }
        next.published.sort { ($0.kid ?? "") < ($1.kid ?? "") }
        next.jwksDocument = JWKSet(keys: next.published).json().serialized()
        lock.withLock { snapshot = next }
    }

    /// The active signing key for `algorithm`.
    public func signingKey(for algorithm: JWSAlgorithm) throws(OAuthError) -> JWK {
        guard let key = lock.withLock({ snapshot.active[algorithm] }) else {
            throw .serverError(debug: "no active signing key for \(algorithm.rawValue)")
        }
        return key
    }

    /// Every published public key (active and recently retired), for verifying our own tokens.
    public var publishedKeys: [JWK] { lock.withLock { snapshot.published } }

    /// The published key that verifies a JWS of ours: every one we sign names its `kid`, so a
    /// header without one, or with an unknown one, is `keyNotFound`.
    func publishedKey(for header: JWSHeader) throws(JOSEError) -> JWK {
        guard let kid = header.kid, let key = publishedKeys.first(where: { $0.kid == kid }) else { throw .keyNotFound }
        return key
    }

    /// The `/jwks` document (RFC 7517 §5): public keys only, each with `kid`, `use`, `alg`.
    public var jwksDocument: [UInt8] { lock.withLock { snapshot.jwksDocument } }

    private func makeKey(_ algorithm: JWSAlgorithm) throws -> SigningKeyRecord {
        let key = try JWK.generate(for: algorithm)
        // The kid names the algorithm for operators, then carries the RFC 7638 thumbprint.
        let kid = "\(algorithm.rawValue.lowercased())-\(key.thumbprint().prefix(16))"
        return SigningKeyRecord(
            id: kid, algorithm: algorithm.rawValue, privateJWK: key.json(includePrivate: true).serializedString(),
            createdAt: clock.now, retiredAt: nil, removeAfter: nil)
    }
}
