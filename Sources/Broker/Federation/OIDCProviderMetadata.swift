import JOSE
import JSON

/// The parts of an upstream's OpenID Provider metadata (OIDC Discovery 1.0 §3) the connector
/// uses, checked when fetched.
struct OIDCProviderMetadata: Sendable {
    let authorizationEndpoint: String
    let tokenEndpoint: String
    let jwksURI: String
    let userinfoEndpoint: String?
    /// `id_token_signing_alg_values_supported` ∩ the algorithms the broker verifies (RS256,
    /// PS256, ES256, EdDSA): never `none`, never HMAC.
    let signingAlgorithms: Set<JWSAlgorithm>
    /// RFC 9207 §3: whether the upstream promises `iss` in every authorization response.
    let issParameterSupported: Bool

    /// - Throws: `upstream_invalid_response` when the document is not usable.
    init(_ document: JSONValue, expectedIssuer: String, developmentBroker: Bool) throws(OAuthError) {
        func url(_ name: String, required: Bool) throws(OAuthError) -> String? {
            guard let value = document[name]?.stringValue else {
                if required { throw .upstreamInvalidResponse(debug: "discovery: \(name) is missing") }
                return nil
            }
            guard IdentityProvider.isAcceptableURL(value, developmentBroker: developmentBroker) else {
                throw .upstreamInvalidResponse(debug: "discovery: \(name) is not an acceptable URL: \(value)")
            }
            return value
        }
        // OIDC Discovery §4.3: "The issuer value returned MUST be identical to the Issuer URL
        // that was used as the prefix to /.well-known/openid-configuration".
        guard document["issuer"]?.stringValue == expectedIssuer else {
            throw .upstreamInvalidResponse(debug: "discovery: issuer \(document["issuer"]?.stringValue ?? "-") is not \(expectedIssuer)")
        }
        authorizationEndpoint = try url("authorization_endpoint", required: true) ?? ""
        tokenEndpoint = try url("token_endpoint", required: true) ?? ""
        jwksURI = try url("jwks_uri", required: true) ?? ""
        userinfoEndpoint = try url("userinfo_endpoint", required: false)
        // OIDC Discovery §3: RS256 "MUST be included"; a document that omits the list is read as
        // offering RS256 alone.
        let offered = document["id_token_signing_alg_values_supported"]?.arrayValue?.compactMap(\.stringValue) ?? ["RS256"]
        signingAlgorithms = Set(offered.compactMap(JWSAlgorithm.init(rawValue:)))
        guard !signingAlgorithms.isEmpty else {
            throw .upstreamInvalidResponse(debug: "discovery: no ID token algorithm in common (offered \(offered))")
        }
        issParameterSupported = document["authorization_response_iss_parameter_supported"]?.boolValue ?? false
    }
}
