import Foundation
import JOSE
import JSON

/// Partner-hosted documents, fetched through the installed `MetadataFetcher`: the key sets of
/// clients registered with `jwks_uri`, cached, and any other document fetched once.
///
/// A key set is reused for `ttl` seconds; an unknown `kid` refetches it early (the client
/// rotated its keys), but never sooner than `refreshFloor` seconds after the last fetch, so a
/// flood of assertions naming unknown keys cannot turn the broker into a fetch amplifier.
/// When a refetch fails the last good set stays in use (a partner's brief outage must not lock
/// its users out); a set never fetched successfully is an error.
///
/// `@unchecked Sendable`: the fetcher slot and the cache are guarded by `lock`; fetches run
/// outside it.
public final class RemoteMetadata: @unchecked Sendable {
    public let ttl: Int64
    public let refreshFloor: Int64
    let clock: any Clock
    private let lock = NSLock()
    private var fetcher: any MetadataFetcher = NoMetadataFetcher()
    private var installed = false
    private var keySets: [String: (set: JWKSet, fetchedAt: Int64)] = [:]
    private var lastAttempt: [String: Int64] = [:]

    init(clock: any Clock, ttl: Int64 = 300, refreshFloor: Int64 = 30) {
        self.clock = clock
        self.ttl = ttl
        self.refreshFloor = refreshFloor
    }

    /// Sets the fetcher (the HTTP layer's outbound client, or a test fake), replacing any other.
    public func install(_ fetcher: any MetadataFetcher) {
        lock.withLock {
            self.fetcher = fetcher
            installed = true
            keySets.removeAll()
            lastAttempt.removeAll()
        }
    }

    /// Whether a fetcher was installed.
    public var isInstalled: Bool { lock.withLock { installed } }

    /// The body at `url`, uncached.
    func fetch(_ url: String) throws -> [UInt8] {
        try lock.withLock { fetcher }.fetch(url)
    }

    /// Fetches and parses a JWK Set, without caching it. Throws `RemoteKeySetError`.
    func fetchKeySet(_ url: String) throws(RemoteKeySetError) -> JWKSet {
        let body: [UInt8]
        do { body = try fetch(url) } catch { throw .unreachable("\(error)") }
        do {
            return try JWKSet(json: try JSONValue(parsing: body))
        } catch {
            throw .notAKeySet("\(error)")
        }
    }

    /// The key set of `jwks_uri`, from the cache or fetched; `kid` is the key the caller needs.
    func keySet(_ url: String, kid: String?) throws(RemoteKeySetError) -> JWKSet {
        let now = clock.now
        let (cached, attempted) = lock.withLock { (keySets[url], lastAttempt[url]) }
        if let cached {
            let fresh = now - cached.fetchedAt < ttl
            let hasKey = kid.map { cached.set.key(withID: $0) != nil } ?? true
            if fresh && hasKey { return cached.set }
        }
        if let attempted, now - attempted < refreshFloor {
            if let cached { return cached.set }
            throw .unreachable("fetched less than \(refreshFloor) s ago and failed")
        }
        lock.withLock { lastAttempt[url] = now }
        do {
            let set = try fetchKeySet(url)
            store(set, for: url)
            return set
        } catch {
            if let cached { return cached.set }
            throw error
        }
    }

    /// Caches a key set fetched at registration.
    func store(_ set: JWKSet, for url: String) {
        let now = clock.now
        lock.withLock {
            keySets[url] = (set, now)
            lastAttempt[url] = now
        }
    }

    /// Drops a cached key set (its client changed or went away).
    func forget(_ url: String) {
        _ = lock.withLock { keySets.removeValue(forKey: url) }
    }
}

/// Why a `jwks_uri` gave no keys. The text is for logs.
enum RemoteKeySetError: Error, CustomStringConvertible {
    case unreachable(String)
    case notAKeySet(String)

    var description: String {
        switch self {
        case .unreachable(let why): "could not be fetched: \(why)"
        case .notAKeySet(let why): "did not return a JWK Set: \(why)"
        }
    }
}
