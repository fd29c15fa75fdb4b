import Foundation
import JOSE
import JSON
@testable import Broker

/// An upstream OpenID provider in memory, reached through the broker's `UpstreamHTTP`: it
/// serves discovery, JWKS, token and userinfo, and plays the browser's visit to its
/// authorization endpoint (`authorize`). Each knob breaks one thing the broker must catch.
final class FakeUpstream: UpstreamHTTP, @unchecked Sendable {
    // @unchecked: every mutable member is read and written under `lock` (tests set knobs while
    // the broker may call from its own thread).
    enum Mode { case normal, down, slow }

    static let issuer = "https://idp.bank-a.example"
    static let clientID = "phisut-hub"
    static let secret = "bank-a-demo-secret"
    static let subject = "bank-user-0001"

    private let lock = NSLock()
    private var _mode = Mode.normal
    private var _claims: [String: JSONValue] = [:]
    private var _discovery: [String: JSONValue] = [:]
    private var _jwks: JSONValue?
    private var _token: ((_ claims: [String: JSONValue], _ key: JWK) throws -> String)?
    private var _tokenError: String?
    private var _codes: [String: (nonce: String, challenge: String, redirectURI: String)] = [:]
    private var _calls: [String] = []
    private var _userinfo: [String: JSONValue]?
    private var _now: Int64 = 1_800_000_000   // TestClock's start
    var key: JWK

    init(citizenID: String = Citizens.a) throws {
        var key = try JWK.generate(for: .es256)
        key.kid = "k1"
        self.key = key
        _claims = ["pid": .string(citizenID), "given_name": "Somchai", "family_name": "Rakthai", "birthdate": "1985-02-03",
                   "acr": "urn:bank:loa:high"]
        _discovery = [
            "issuer": .string(Self.issuer), "authorization_endpoint": .string(Self.issuer + "/authorize"),
            "token_endpoint": .string(Self.issuer + "/token"), "jwks_uri": .string(Self.issuer + "/jwks"),
            "userinfo_endpoint": .string(Self.issuer + "/userinfo"),
            "id_token_signing_alg_values_supported": ["ES256", "RS256"],
            "authorization_response_iss_parameter_supported": true,
        ]
    }

    var mode: Mode { get { lock.withLock { _mode } } set { lock.withLock { _mode = newValue } } }
    /// Claims of the next ID tokens beyond iss, aud, sub, nonce, iat, exp.
    var claims: [String: JSONValue] { get { lock.withLock { _claims } } set { lock.withLock { _claims = newValue } } }
    var discovery: [String: JSONValue] { get { lock.withLock { _discovery } } set { lock.withLock { _discovery = newValue } } }
    /// Replaces the published JWKS.
    var jwks: JSONValue? { get { lock.withLock { _jwks } } set { lock.withLock { _jwks = newValue } } }
    /// Builds the ID token from its claims instead of signing them with `key`.
    var token: ((_ claims: [String: JSONValue], _ key: JWK) throws -> String)? {
        get { lock.withLock { _token } } set { lock.withLock { _token = newValue } }
    }
    /// An OAuth error code the token endpoint answers with.
    var tokenError: String? { get { lock.withLock { _tokenError } } set { lock.withLock { _tokenError = newValue } } }
    /// Extra userinfo claims (nil: only `sub`).
    var userinfo: [String: JSONValue]? { get { lock.withLock { _userinfo } } set { lock.withLock { _userinfo = newValue } } }
    /// The upstream's clock, for `iat` and `exp`.
    var now: Int64 { get { lock.withLock { _now } } set { lock.withLock { _now = newValue } } }
    /// Paths requested, in order.
    var calls: [String] { lock.withLock { _calls } }

    /// The browser at the upstream's authorization endpoint: the citizen signs in and the
    /// upstream redirects back; returns the callback's parameters.
    func authorize(_ url: String) -> [String: String] {
        let query = FormEncoding.decode(String(url.split(separator: "?", maxSplits: 1).last ?? ""))
        let code = "code-" + UUID().uuidString
        lock.withLock {
            _codes[code] = (query["nonce"] ?? "", query["code_challenge"] ?? "", query["redirect_uri"] ?? "")
        }
        return ["code": code, "state": query["state"] ?? "", "iss": Self.issuer]
    }

    func send(_ request: UpstreamRequest) throws(UpstreamHTTPError) -> UpstreamResponse {
        let path = String(request.url.dropFirst(Self.issuer.count))
        lock.withLock { _calls.append(path) }
        switch mode {
        case .down: throw .unreachable("connection refused")
        case .slow: throw .timeout
        case .normal: break
        }
        switch path {
        case "/.well-known/openid-configuration": return Self.json(.object(discovery))
        case "/jwks": return Self.json(jwks ?? JWKSet(keys: [key.publicKey]).json())
        case "/token": return tokenResponse(request)
        case "/userinfo":
            var body: [String: JSONValue] = ["sub": .string(Self.subject)]
            for (name, value) in userinfo ?? [:] { body[name] = value }
            return Self.json(.object(body))
        default: return UpstreamResponse(status: 404)
        }
    }

    private func tokenResponse(_ request: UpstreamRequest) -> UpstreamResponse {
        if let error = tokenError { return Self.json(["error": .string(error)], status: 400) }
        let form = request.formBody
        let expected = "Basic " + Data("\(Self.clientID):\(Self.secret)".utf8).base64EncodedString()
        guard request.headers.contains(where: { $0.0 == "Authorization" && $0.1 == expected }) else {
            return Self.json(["error": "invalid_client"], status: 401)
        }
        guard let code = form["code"], let issued = lock.withLock({ _codes.removeValue(forKey: code) }),
              PKCE.verify(verifier: form["code_verifier"] ?? "", challenge: issued.challenge),
              form["redirect_uri"] == issued.redirectURI else {
            return Self.json(["error": "invalid_grant"], status: 400)
        }
        let now = self.now
        var claims: [String: JSONValue] = [
            "iss": .string(Self.issuer), "aud": .string(Self.clientID), "sub": .string(Self.subject),
            "nonce": .string(issued.nonce), "iat": .int(now), "exp": .int(now + 300),
        ]
        for (name, value) in self.claims { claims[name] = value }
        claims = claims.filter { !$0.value.isNull }
        let idToken: String
        do {
            idToken = try token?(claims, key) ?? JWT.sign(claims: claims, key: key, algorithm: .es256)
        } catch {
            return UpstreamResponse(status: 500)
        }
        return Self.json(["access_token": "at-1", "token_type": "Bearer", "id_token": .string(idToken)])
    }

    static func json(_ value: JSONValue, status: Int = 200) -> UpstreamResponse {
        UpstreamResponse(status: status, headers: [("Content-Type", "application/json")], body: value.serialized())
    }

    /// The IdP file of this upstream, as CONTRACT.md writes it.
    static func file(_ changes: [String: JSONValue] = [:]) -> JSONValue {
        var file: [String: JSONValue] = [
            "id": "bank-a", "issuer": .string(issuer), "display_name": ["th": "ธนาคารเอ", "en": "Bank A"],
            "logo_uri": "https://idp.bank-a.example/logo.png", "client_id": .string(clientID),
            "token_endpoint_auth_method": "client_secret_basic", "client_secret_env": "BANK_A_SECRET",
            "scopes": ["openid", "profile"],
            "claims": ["citizen_id": "pid", "given_name": "given_name", "family_name": "family_name", "birthdate": "birthdate"],
            "acr_map": ["urn:bank:loa:high": ["ial": "2.3", "aal": "2.2"], "urn:bank:loa:low": ["ial": "1.2", "aal": "1"]],
            "default_assurance": ["ial": "1.1", "aal": "1"],
        ]
        for (name, value) in changes { file[name] = value }
        return .object(file.filter { !$0.value.isNull })
    }

    /// Configures a test broker with this upstream: its file in `idps/`, the secret in the
    /// environment, and this fake as the outbound client.
    func configure(_ configuration: inout BrokerConfiguration, file: JSONValue = FakeUpstream.file()) {
        let directory = configuration.metadataDirectory + "/idps"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = file["id"]?.stringValue ?? "bank-a"
        _ = FileManager.default.createFile(atPath: directory + "/\(name).json", contents: Data(file.serialized()))
        configuration.environment = ["BANK_A_SECRET": Self.secret]
        configuration.upstreamHTTP = self
    }
}
