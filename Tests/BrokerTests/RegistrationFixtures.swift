import Foundation
import JOSE
import JSON
import Storage
@testable import Broker

/// Partner documents served from memory: each URL answers with bytes or fails; every fetch is
/// counted, so tests can see the cache at work.
final class FakeFetcher: MetadataFetcher, @unchecked Sendable {
    struct Down: Error {}
    private let lock = NSLock()   // guards both dictionaries
    private var documents: [String: [UInt8]] = [:]
    private var counts: [String: Int] = [:]

    func serve(_ url: String, _ value: JSONValue?) { lock.withLock { documents[url] = value?.serialized() } }
    func serve(_ url: String, bytes: [UInt8]) { lock.withLock { documents[url] = bytes } }
    func fetches(_ url: String) -> Int { lock.withLock { counts[url] ?? 0 } }

    func fetch(_ url: String) throws -> [UInt8] {
        try lock.withLock {
            counts[url, default: 0] += 1
            guard let body = documents[url] else { throw Down() }
            return body
        }
    }
}

/// A test broker with a partner, its initial access token, a fake fetcher, and the federation
/// operator's key trusted by the registration service.
struct RegistrationFixture {
    let t: TestBroker
    let fetcher = FakeFetcher()
    let token: String
    let partnerID: String
    let operatorKey: JWK
    let registration: RegistrationService
    var broker: Broker { t.broker }
    var clock: TestClock { t.clock }

    init(tokenUses: Int? = nil) throws {
        t = try TestBroker()
        t.broker.remoteMetadata.install(fetcher)
        let (partner, token) = try t.broker.partners.add(name: "Krungthai Bank", uses: tokenUses)
        self.token = token
        partnerID = partner.id
        operatorKey = try JWK.generate(for: .es256, kid: "operator-1")
        var registration = t.broker.registration
        registration.trust = FederationTrust(keys: [operatorKey])
        self.registration = registration
    }

    static let web: JSONValue = [
        "client_name": "Bank Portal", "client_name#th": "พอร์ทัลธนาคาร", "redirect_uris": ["https://bank.example/cb"],
        "token_endpoint_auth_method": "client_secret_basic", "id_token_signed_response_alg": "ES256",
    ]
    static let native: JSONValue = [
        "client_name": "Queue App", "application_type": "native", "redirect_uris": ["com.example.queue:/cb"],
        "token_endpoint_auth_method": "none", "id_token_signed_response_alg": "ES256",
    ]

    func register(_ metadata: JSONValue, token: String? = nil) throws(OAuthError) -> ClientInformation {
        try registration.register(body: metadata.serialized(), initialAccessToken: token ?? self.token)
    }

    func merged(_ base: JSONValue, _ extra: [String: JSONValue]) -> JSONValue {
        .object((base.objectValue ?? [:]).merging(extra) { _, new in new })
    }

    /// A software statement signed by `key` (the operator's unless given).
    func statement(_ claims: [String: JSONValue], key: JWK? = nil, lifetime: Int64 = 3600) throws -> String {
        var all = claims
        all["iss"] = all["iss"] ?? "https://federation.phisut.example"
        all["iat"] = .int(clock.now)
        all["exp"] = .int(clock.now + lifetime)
        return try JWT.sign(claims: all, key: key ?? operatorKey, algorithm: .es256)
    }
}
