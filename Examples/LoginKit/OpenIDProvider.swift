import HTTPClient
import JOSE
import JSON

/// What a relying party learns about the broker from discovery (OpenID Connect Discovery 1.0
/// §4) and its JWKS. Endpoints are never guessed: every URL comes from the document.
public struct OpenIDProvider: Sendable {
    public let issuer: String
    public let authorizationEndpoint: String
    public let tokenEndpoint: String
    public let userinfoEndpoint: String
    public let jwksURI: String
    public let endSessionEndpoint: String?
    public let introspectionEndpoint: String?
    public let revocationEndpoint: String?
    /// The whole discovery document, for members the examples print.
    public let document: [String: JSONValue]
    public let keys: JWKSet

    /// Fetches `<issuer>/.well-known/openid-configuration`, checks that its `issuer` is exactly
    /// `issuer` (Discovery §4.3), that S256 PKCE is offered, then fetches `jwks_uri`.
    public static func discover(issuer: String, client: HTTPClient) throws(LoginKitError) -> OpenIDProvider {
        let trimmed = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let document = try client.callJSON("GET", trimmed + "/.well-known/openid-configuration").object(step: "discovery")
        func member(_ name: String) throws(LoginKitError) -> String {
            guard let value = document[name]?.stringValue else { throw .validation("discovery lacks \(name)") }
            return value
        }
        guard try member("issuer") == trimmed else { throw .validation("discovery issuer \(try member("issuer")) is not \(trimmed)") }
        let methods = document["code_challenge_methods_supported"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard methods.contains("S256") else { throw .validation("the provider does not offer PKCE S256") }
        let jwksURI = try member("jwks_uri")
        let jwks = try client.callJSON("GET", jwksURI).object(step: "jwks")
        let keys: JWKSet
        do { keys = try JWKSet(json: .object(jwks)) } catch { throw .validation("jwks: \(error)") }
        return OpenIDProvider(
            issuer: trimmed, authorizationEndpoint: try member("authorization_endpoint"),
            tokenEndpoint: try member("token_endpoint"), userinfoEndpoint: try member("userinfo_endpoint"),
            jwksURI: jwksURI, endSessionEndpoint: document["end_session_endpoint"]?.stringValue,
            introspectionEndpoint: document["introspection_endpoint"]?.stringValue,
            revocationEndpoint: document["revocation_endpoint"]?.stringValue, document: document, keys: keys)
    }
}
