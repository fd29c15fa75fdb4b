import JOSE

/// One upstream identity provider from `Metadata/idps/<id>.json` (CONTRACT.md "Metadata
/// folder"), validated, with its secret or private key already loaded.
public struct IdentityProvider: Sendable {
    /// `[a-z0-9-]+`, also the file's name and the path segment of the callback.
    public let id: String
    /// Which connector speaks to it (`UpstreamConnectors`); `oidc` unless the file says `kind`.
    public let kind: String
    /// Its issuer identifier; discovery is fetched from `<issuer>/.well-known/openid-configuration`.
    public let issuer: String
    public let displayNameTH: String
    public let displayNameEN: String
    public let logoURI: String?
    /// The broker's client id at that provider.
    public let clientID: String
    public let authentication: UpstreamClientAuthentication
    public let scopes: [String]
    /// Broker field (`citizen_id`, `given_name`, …) → the upstream claim that carries it.
    public let claims: [String: String]
    /// Upstream `acr` value → the broker's levels it is worth.
    public let acrMap: [String: Assurance]
    /// The levels of a login whose `acr` is absent or not in `acrMap`.
    public let defaultAssurance: Assurance

    public init(id: String, kind: String = "oidc", issuer: String, displayNameTH: String, displayNameEN: String,
                logoURI: String? = nil, clientID: String, authentication: UpstreamClientAuthentication, scopes: [String],
                claims: [String: String], acrMap: [String: Assurance], defaultAssurance: Assurance) {
        self.id = id
        self.kind = kind
        self.issuer = issuer
        self.displayNameTH = displayNameTH
        self.displayNameEN = displayNameEN
        self.logoURI = logoURI
        self.clientID = clientID
        self.authentication = authentication
        self.scopes = scopes
        self.claims = claims
        self.acrMap = acrMap
        self.defaultAssurance = defaultAssurance
    }

    /// The display name in `language` (`th` or anything else for English).
    public func displayName(_ language: String) -> String { language == "th" ? displayNameTH : displayNameEN }

    /// The levels an upstream login with this `acr` reached: the mapping, else the default.
    public func assurance(acr: String?) -> Assurance { acr.flatMap { acrMap[$0] } ?? defaultAssurance }

    /// The broker's redirect URI at this provider (CONTRACT.md).
    public func redirectURI(issuer broker: String) -> String { broker + "/federation/\(id)/callback" }
}

/// How the broker authenticates at an upstream token endpoint (OIDC Core §9).
public enum UpstreamClientAuthentication: Sendable {
    case clientSecretBasic(secret: String)
    case clientSecretPost(secret: String)
    /// RFC 7523 §2.2 with the key from `private_key_file`.
    case privateKeyJWT(key: JWK, algorithm: JWSAlgorithm)

    public var methodName: String {
        switch self {
        case .clientSecretBasic: "client_secret_basic"
        case .clientSecretPost: "client_secret_post"
        case .privateKeyJWT: "private_key_jwt"
        }
    }
}
