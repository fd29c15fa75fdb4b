import Foundation
import JOSE
import JSON
import Storage
import Testing
@testable import Broker

/// The hub (issue 7) on a test clock with an in-memory upstream: the whole federated login,
/// every bad input of the issue, linking, step-up and the IdP files.
@Suite("Federation: upstream identity providers")
struct FederationTests {
    typealias Fixture = LoginFlowDomainTests.Fixture

    /// A broker with the fake upstream as `bank-a` and an enrolled citizen (Citizens.a).
    static func fixture(_ upstream: FakeUpstream, file: JSONValue = FakeUpstream.file()) throws -> Fixture {
        try Fixture { upstream.configure(&$0, file: file) }
    }

    /// `/authorize` → `begin` → the upstream → the callback parameters.
    static func toCallback(_ f: Fixture, _ upstream: FakeUpstream, _ extra: [(String, String)] = []) throws -> (requestID: String, callback: [String: String]) {
        let progress = try f.broker.authorization.authorize(Fixture.parameters(pkce + extra), sessionCookie: nil)
        guard case .login(let id) = progress.step else { throw LoginFlowDomainTests.Failure("expected the login page") }
        let redirect = try f.broker.federation.begin(requestID: id, idpID: "bank-a")
        return (id, upstream.authorize(redirect.url))
    }

    /// The relying party's PKCE (RFC 7636 §4.1: at least 43 characters).
    static let verifier = String(repeating: "v", count: 43)
    static let pkce = [("code_challenge", PKCE.challenge(for: verifier))]

    static func complete(_ f: Fixture, _ callback: [String: String], bound: Bool = true) throws -> LoginProgress {
        try f.broker.federation.complete(idpID: "bank-a", callback: callback, isBound: { _ in bound }, sessionCookie: nil)
    }

    /// The code of a finished login, after consent when asked.
    static func code(_ f: Fixture, _ progress: LoginProgress) throws -> String {
        var step = progress.step
        if case .consent(let id) = step { step = try f.broker.authorization.decideConsent(requestID: id, allow: true) }
        guard case .respond(let answer) = step, let code = answer.value("code") else {
            throw LoginFlowDomainTests.Failure("expected a code, got \(step)")
        }
        return code
    }

    static func idToken(_ f: Fixture, code: String) throws -> [String: JSONValue] {
        let response = try f.broker.tokenEndpoint.token(TokenRequest(
            grantType: "authorization_code",
            parameters: ["code": code, "redirect_uri": "http://127.0.0.1:4000/cb", "code_verifier": verifier],
            credentials: ClientCredentials(clientID: "rp")))
        let payload = try JWS.decodeUnverified(try #require(response.idToken)).payload
        return try #require(try JSONValue(parsing: payload).objectValue)
    }

    static func refusal(_ body: () throws -> LoginProgress) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as OAuthError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    // MARK: The whole login

    @Test("a federated login ends in the broker's tokens: amr fed, mapped acr/ial/aal, pairwise sub")
    func wholeLogin() throws {
        let upstream = try FakeUpstream()
        let f = try Self.fixture(upstream)
        let (_, callback) = try Self.toCallback(f, upstream)
        let progress = try Self.complete(f, callback)
        #expect(progress.session?.record.amr == ["fed"])
        let claims = try Self.idToken(f, code: try Self.code(f, progress))
        #expect(claims["amr"] == ["fed"])
        #expect(claims["acr"]?.stringValue == "phisut:ial-2.3:aal-2.2")
        #expect(claims["ial"]?.stringValue == "2.3" && claims["aal"]?.stringValue == "2.2")
        let sub = try #require(claims["sub"]?.stringValue)
        #expect(sub != FakeUpstream.subject)
        #expect(sub == f.broker.pairwise.subject(citizenID: Citizens.a, sector: "127.0.0.1"))
        #expect(!String(decoding: JSONValue.object(claims).serialized(), as: UTF8.self).contains(FakeUpstream.subject))
        // The code went to the upstream with PKCE and came back through the discovery's endpoints.
        #expect(upstream.calls == ["/.well-known/openid-configuration", "/token", "/jwks"])
    }

    @Test("an upstream acr outside the map gets the default assurance")
    func defaultAssurance() throws {
        let upstream = try FakeUpstream()
        upstream.claims["acr"] = "urn:bank:unknown"
        let f = try Self.fixture(upstream)
        let progress = try Self.complete(f, try Self.toCallback(f, upstream).callback)
        #expect(progress.session?.record.acr == "phisut:ial-1.1:aal-1")
    }

    @Test("a citizen first seen upstream is recorded from the mapped claims; missing claims come from userinfo")
    func newCitizen() throws {
        let newcomer = try #require(CitizenID.completing("310990012345")).digits
        let upstream = try FakeUpstream(citizenID: newcomer)
        upstream.claims["birthdate"] = .null
        upstream.userinfo = ["birthdate": "1979-12-31"]
        let f = try Self.fixture(upstream)
        _ = try Self.complete(f, try Self.toCallback(f, upstream).callback)
        let citizen = try f.broker.store.citizen(id: newcomer)
        #expect(citizen.givenNameEN == "Somchai" && citizen.familyNameTH == "Rakthai")
        #expect(citizen.birthdate == "1979-12-31")
        #expect(citizen.ial == "2.3")
        #expect(upstream.calls.contains("/userinfo"))
    }

    @Test("idp_hint and kc_idp_hint name the upstream once; an unknown one is ignored", arguments: [
        ("idp_hint", "bank-a", "bank-a"), ("kc_idp_hint", "bank-a", "bank-a"), ("idp_hint", "bank-z", nil),
        ("idp_hint", "Bank A!", nil),
    ] as [(String, String, String?)])
    func hint(name: String, value: String, expected: String?) throws {
        let upstream = try FakeUpstream()
        let f = try Self.fixture(upstream)
        let progress = try f.broker.authorization.authorize(Fixture.parameters([(name, value)]), sessionCookie: nil)
        guard case .login(let id) = progress.step else { Issue.record("expected the login page"); return }
        #expect(try f.broker.federation.takeHint(requestID: id) == expected)
        #expect(try f.broker.federation.takeHint(requestID: id) == nil)
    }

    // MARK: Bad input (issue 7)

    /// Each case breaks one thing; the callback must refuse with this code and audit it.
    static let badUpstreams: [(String, String, @Sendable (FakeUpstream) throws -> Void)] = [
        ("upstream down at the token endpoint", "upstream_unavailable", { $0.mode = .down }),
        ("upstream slow (timeout)", "upstream_unavailable", { $0.mode = .slow }),
        ("token endpoint error response", "upstream_error", { $0.tokenError = "invalid_grant" }),
        ("bad signature", "upstream_invalid_response", { upstream in
            let other = try JWK.generate(for: .es256)
            upstream.token = { claims, _ in var key = other; key.kid = "k1"; return try JWT.sign(claims: claims, key: key, algorithm: .es256) }
        }),
        ("wrong nonce", "upstream_invalid_response", { $0.claims["nonce"] = "someone-elses-nonce" }),
        ("alg none", "upstream_invalid_response", { upstream in
            upstream.token = { claims, _ in
                Base64URL.encode(Array(#"{"alg":"none","kid":"k1"}"#.utf8)) + "." + Base64URL.encode(JSONValue.object(claims).serialized()) + "."
            }
        }),
        ("HS256 with the public key as secret", "upstream_invalid_response", { upstream in
            upstream.token = { claims, key in
                let input = Base64URL.encode(Array(#"{"alg":"HS256","kid":"k1"}"#.utf8)) + "." + Base64URL.encode(JSONValue.object(claims).serialized())
                let secret = key.publicKey.json().serialized()
                return input + "." + Base64URL.encode(Crypto.hmacSHA256(key: secret, data: Array(input.utf8)))
            }
        }),
        ("JWKS key of the wrong type under the kid", "upstream_invalid_response", { upstream in
            var wrong = try JWK.generate(for: .edDSA)
            wrong.kid = "k1"
            upstream.jwks = JWKSet(keys: [wrong.publicKey]).json()
        }),
        ("alg not offered by the upstream's discovery", "upstream_invalid_response", { $0.discovery["id_token_signing_alg_values_supported"] = ["RS256"] }),
        ("wrong iss in the ID token", "upstream_invalid_response", { $0.claims["iss"] = "https://evil.example" }),
        ("wrong aud", "upstream_invalid_response", { $0.claims["aud"] = "someone-else" }),
        ("several audiences without azp", "upstream_invalid_response", { $0.claims["aud"] = [.string(FakeUpstream.clientID), "other"] }),
        ("azp of another client", "upstream_invalid_response", { $0.claims["azp"] = "other" }),
        ("expired ID token", "upstream_invalid_response", { $0.now -= 3_600 }),
        ("iat from the future", "upstream_invalid_response", { $0.now += 3_600 }),
        ("citizen ID with a bad check digit", "federation_no_citizen_id", { upstream in
            let valid = Citizens.a
            let wrong = String(valid.dropLast()) + String((Int(String(valid.last!))! + 1) % 10)
            upstream.claims["pid"] = .string(wrong)
        }),
        ("no citizen ID claim", "federation_no_citizen_id", { $0.claims["pid"] = .null }),
    ]

    @Test("a broken upstream answer is refused with a clear error and audited", arguments: badUpstreams.indices)
    func badUpstream(_ index: Int) throws {
        let (name, code, breakIt) = Self.badUpstreams[index]
        let upstream = try FakeUpstream()
        let f = try Self.fixture(upstream)
        // A discovery change must be there before the start, which fetches (and caches) it.
        if name.contains("discovery") { try breakIt(upstream) }
        let (requestID, callback) = try Self.toCallback(f, upstream)
        if !name.contains("discovery") { try breakIt(upstream) }
        #expect(Self.refusal { try Self.complete(f, callback) } == code, "\(name)")
        let events = try f.broker.store.audit(citizenID: nil, limit: 50, beforeSequence: nil)
        #expect(events.contains { $0.action == "federation.refused" && $0.outcome == "failure" && $0.detail.contains(code) }, "\(name)")
        // The sign-in itself is still open: the citizen can choose another way.
        #expect(try f.broker.authorization.pendingRequest(id: requestID).status == .login)
    }

    /// Callback problems caught before the upstream is asked anything.
    @Test("the callback's state: missing, foreign, of another browser, replayed, expired", arguments: [
        "missing", "foreign", "unbound", "replayed", "expired", "iss mismatch", "no iss", "error response",
    ])
    func callbackState(_ problem: String) throws {
        let upstream = try FakeUpstream()
        let f = try Self.fixture(upstream)
        var (_, callback) = try Self.toCallback(f, upstream)
        var bound = true
        var expected = "federation_state_invalid"
        switch problem {
        case "missing": callback["state"] = nil
        case "foreign": callback["state"] = "state-the-broker-never-sent"
        case "unbound": bound = false
        case "replayed": _ = try Self.complete(f, callback)
        case "expired": f.test.clock.advance(f.broker.configuration.upstreamStateLifetime + 1)
        case "iss mismatch": (callback["iss"], expected) = ("https://evil.example", "upstream_invalid_response")
        case "no iss": (callback["iss"], expected) = (nil, "upstream_invalid_response")
        default: (callback["code"], callback["error"], expected) = (nil, "access_denied", "upstream_error")
        }
        if problem == "expired" {
            // The pending /authorize request outlives nothing here: either refusal is a clear page.
            let code = Self.refusal { try Self.complete(f, callback, bound: bound) }
            #expect(code == "federation_state_invalid" || code == "login_expired")
            return
        }
        #expect(Self.refusal { try Self.complete(f, callback, bound: bound) } == expected)
    }

    @Test("a state issued for one upstream is refused at another's callback")
    func stateOfAnotherUpstream() throws {
        let upstream = try FakeUpstream()
        let f = try Fixture { configuration in
            upstream.configure(&configuration)
            upstream.configure(&configuration, file: FakeUpstream.file(["id": "bank-b"]))
        }
        let (_, callback) = try Self.toCallback(f, upstream)
        #expect(Self.refusal {
            try f.broker.federation.complete(idpID: "bank-b", callback: callback, isBound: { _ in true }, sessionCookie: nil)
        } == "federation_state_invalid")
    }

    @Test("an upstream that is down at the start is a clear refusal; other logins go on")
    func downAtStart() throws {
        let upstream = try FakeUpstream()
        upstream.mode = .down
        let f = try Self.fixture(upstream)
        let progress = try f.broker.authorization.authorize(Fixture.parameters(), sessionCookie: nil)
        guard case .login(let id) = progress.step else { Issue.record("expected the login page"); return }
        #expect(throws: OAuthError.self) { try f.broker.federation.begin(requestID: id, idpID: "bank-a") }
        // The phone login of the same request still works.
        #expect(throws: Never.self) { try f.broker.authorization.submitCitizenID(requestID: id, citizenID: Citizens.a) }
    }

    // MARK: Keys

    @Test("an unknown kid refetches the JWKS, but not sooner than the floor")
    func keyRotation() throws {
        let upstream = try FakeUpstream()
        let f = try Self.fixture(upstream)
        _ = try Self.complete(f, try Self.toCallback(f, upstream).callback)
        var rotated = try JWK.generate(for: .es256)
        rotated.kid = "k2"
        upstream.key = rotated
        f.test.clock.advance(f.broker.configuration.upstreamKeyRefreshFloor)
        upstream.now += f.broker.configuration.upstreamKeyRefreshFloor
        _ = try Self.complete(f, try Self.toCallback(f, upstream).callback)
        #expect(upstream.calls.filter { $0 == "/jwks" }.count == 2)
        // Forged kids right after: no new fetch inside the floor, and the login is refused.
        upstream.token = { claims, _ in var forged = try JWK.generate(for: .es256); forged.kid = "k3"; return try JWT.sign(claims: claims, key: forged, algorithm: .es256) }
        #expect(Self.refusal { try Self.complete(f, try Self.toCallback(f, upstream).callback) } == "upstream_invalid_response")
        #expect(upstream.calls.filter { $0 == "/jwks" }.count == 2)
    }

    // MARK: Links

    @Test("the link is recorded with first and last use, listed, and once revoked refuses that identity")
    func links() throws {
        let upstream = try FakeUpstream()
        let f = try Self.fixture(upstream)
        _ = try Self.complete(f, try Self.toCallback(f, upstream).callback)
        f.test.clock.advance(100)
        upstream.now += 100
        _ = try Self.complete(f, try Self.toCallback(f, upstream).callback)
        let links = try f.broker.federation.links(citizenID: Citizens.a)
        let link = try #require(links.first)
        #expect(links.count == 1 && link.idpID == "bank-a" && link.upstreamSubject == FakeUpstream.subject)
        #expect(link.lastUsedAt == link.firstUsedAt + 100)
        #expect(throws: OAuthError.notFound("no such link")) { try f.broker.federation.revokeLink(citizenID: Citizens.b, linkID: link.id) }
        try f.broker.federation.revokeLink(citizenID: Citizens.a, linkID: link.id)
        #expect(Self.refusal { try Self.complete(f, try Self.toCallback(f, upstream).callback) } == "federation_link_revoked")
    }

    @Test("an upstream identity linked to one citizen cannot present another citizen ID")
    func linkMismatch() throws {
        let upstream = try FakeUpstream()
        let f = try Self.fixture(upstream)
        _ = try Self.complete(f, try Self.toCallback(f, upstream).callback)
        upstream.claims["pid"] = .string(Citizens.b)
        #expect(Self.refusal { try Self.complete(f, try Self.toCallback(f, upstream).callback) } == "federation_citizen_mismatch")
    }

    @Test("a login_hint naming another citizen refuses the upstream's")
    func loginHintMismatch() throws {
        let upstream = try FakeUpstream()
        let f = try Self.fixture(upstream)
        let callback = try Self.toCallback(f, upstream, [("login_hint", Citizens.b)]).callback
        #expect(Self.refusal { try Self.complete(f, callback) } == "federation_citizen_mismatch")
    }

    // MARK: Step-up

    @Test("acr_values above the upstream's: a push to the enrolled phone, then tokens with fed and the device's AAL")
    func stepUpWithDevice() throws {
        let upstream = try FakeUpstream()
        upstream.claims["acr"] = "urn:bank:loa:low"   // ial 1.2, aal 1
        let f = try Self.fixture(upstream)
        let (requestID, callback) = try Self.toCallback(f, upstream, [("acr_values", "phisut:aal-2.2")])
        let progress = try Self.complete(f, callback)
        guard case .waiting(let id) = progress.step else { Issue.record("expected the waiting page, got \(progress.step)"); return }
        #expect(id == requestID && progress.session == nil)
        let approval = try #require(try f.broker.authorization.approvalState(requestID: id).approval)
        let device = try f.broker.store.device(id: f.device.id)
        #expect(try f.broker.approvals.decide(requestID: approval.id, decision: try f.decision(approval), by: device) == .approved)
        let done = try f.broker.authorization.proceed(requestID: id, sessionCookie: nil)
        let claims = try Self.idToken(f, code: try Self.code(f, done))
        let amr = claims["amr"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(amr.contains("fed") && amr.contains("mfa"))
        #expect(claims["aal"]?.stringValue == "2.2")
    }

    @Test("acr_values above the upstream's without an enrolled device: unmet_authentication_requirements, no downgrade")
    func stepUpWithoutDevice() throws {
        let upstream = try FakeUpstream(citizenID: Citizens.b)
        upstream.claims["acr"] = "urn:bank:loa:low"
        let f = try Self.fixture(upstream)
        let progress = try Self.complete(f, try Self.toCallback(f, upstream, [("acr_values", "phisut:ial-2.3")]).callback)
        guard case .respond(let answer) = progress.step else { Issue.record("expected an answer, got \(progress.step)"); return }
        #expect(answer.value("error") == "unmet_authentication_requirements")
        #expect(answer.value("code") == nil && progress.session == nil)
    }

    @Test("acr_values the upstream's mapping meets need no step-up, and are passed upstream")
    func acrMet() throws {
        let upstream = try FakeUpstream()
        let f = try Self.fixture(upstream)
        let progress = try f.broker.authorization.authorize(Fixture.parameters(Self.pkce + [("acr_values", "phisut:ial-2.3")]), sessionCookie: nil)
        guard case .login(let id) = progress.step else { Issue.record("expected the login page"); return }
        let redirect = try f.broker.federation.begin(requestID: id, idpID: "bank-a")
        #expect(FormEncoding.decode(String(redirect.url.split(separator: "?").last ?? ""))["acr_values"] == "urn:bank:loa:high")
        let done = try Self.complete(f, upstream.authorize(redirect.url))
        #expect(done.session?.record.acr == "phisut:ial-2.3:aal-2.2")
    }

    // MARK: IdP files

    static let badFiles: [(String, [String: JSONValue], String)] = [
        ("secret variable not set", ["client_secret_env": "NOT_SET_ANYWHERE"], "client_secret_env"),
        ("id with capitals", ["id": "Bank-A"], "id"),
        ("http issuer", ["issuer": "http://idp.bank-a.example"], "issuer"),
        ("no citizen ID mapping", ["claims": ["given_name": "given_name"]], "claims.citizen_id"),
        ("unknown broker field", ["claims": ["citizen_id": "pid", "shoe_size": "x"]], "claims.shoe_size"),
        ("unknown member", ["client_secert_env": "BANK_A_SECRET"], "client_secert_env"),
        ("unknown auth method", ["token_endpoint_auth_method": "tls_client_auth"], "token_endpoint_auth_method"),
        ("scopes without openid", ["scopes": ["profile"]], "scopes"),
        ("acr_map level that does not exist", ["acr_map": ["x": ["ial": "4", "aal": "1"]]], "acr_map.x.ial"),
        ("display name without Thai", ["display_name": ["en": "Bank A"]], "display_name"),
        ("private key file missing", ["token_endpoint_auth_method": "private_key_jwt", "private_key_file": "nope.pem"], "private_key_file"),
        ("unknown connector kind", ["kind": "saml"], "kind"),
    ]

    @Test("an invalid IdP file stops start-up naming the file and the field", arguments: badFiles.indices)
    func badFile(_ index: Int) throws {
        let (name, change, field) = Self.badFiles[index]
        let upstream = try FakeUpstream()
        do {
            _ = try TestBroker { configuration in
                configuration.issuer = "https://broker.example"
                upstream.configure(&configuration, file: FakeUpstream.file(change))
            }
            Issue.record("\(name): the broker started")
        } catch let error as MetadataError {
            #expect(error.field == field, "\(name)")
            #expect(error.file.hasSuffix(".json"), "\(name)")
            #expect(error.description.contains(field))
        }
    }

    @Test("private_key_jwt reads the PEM and signs the code exchange with it")
    func privateKeyJWT() throws {
        let directory = NSTemporaryDirectory() + "phisut-pem-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", directory + "/hub.pem"]
        try process.run()
        process.waitUntilExit()
        let upstream = try FakeUpstream()
        let f = try Self.fixture(upstream, file: FakeUpstream.file([
            "token_endpoint_auth_method": "private_key_jwt", "client_secret_env": .null, "private_key_file": .string(directory + "/hub.pem"),
        ]))
        guard case .privateKeyJWT(let key, let algorithm) = try #require(f.broker.federation.provider(id: "bank-a")).authentication else {
            Issue.record("expected private_key_jwt")
            return
        }
        #expect(key.isPrivate && algorithm == .es256)
    }

    @Test("without an outbound client the broker reads no IdP file (offline tools)")
    func offline() throws {
        let test = try TestBroker { configuration in
            let directory = configuration.metadataDirectory + "/idps"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: directory + "/broken.json", contents: Data("{".utf8))
        }
        #expect(test.broker.federation.providers.isEmpty)
    }
}
