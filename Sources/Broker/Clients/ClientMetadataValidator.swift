import Foundation
import JOSE
import JSON

/// The one validator of client metadata (RFC 7591 §2, OIDC Dynamic Client Registration §2):
/// `Metadata/clients/` files at start, and — in a later issue — `/register` and RFC 7592 updates.
///
/// Refusals are `invalid_client_metadata` or `invalid_redirect_uri` with a description naming
/// the field.
public struct ClientMetadataValidator: Sendable {
    public let developmentBroker: Bool
    public let signingAlgorithms: [JWSAlgorithm]

    public init(developmentBroker: Bool, signingAlgorithms: [JWSAlgorithm]) {
        self.developmentBroker = developmentBroker
        self.signingAlgorithms = signingAlgorithms
    }

    /// A `Metadata/clients/*.json` document: carries its own `client_id`, and `client_secret`
    /// for the secret-based methods (hashed here).
    public func validateFile(_ document: JSONValue) throws(OAuthError) -> Client {
        guard let clientID = document["client_id"]?.stringValue, !clientID.isEmpty else {
            throw Self.invalid("client_id", "is required in a metadata file")
        }
        let secret = document["client_secret"]?.stringValue
        var metadata = document.objectValue ?? [:]
        metadata.removeValue(forKey: "client_secret")
        return try validate(.object(metadata), clientID: clientID, secretHash: secret.map(SecretHash.of), partnerID: nil)
    }

    /// Validates metadata for `clientID`. Secret-based methods need `secretHash`.
    public func validate(_ document: JSONValue, clientID: String, secretHash: String?, partnerID: String?) throws(OAuthError) -> Client {
        guard document.objectValue != nil else { throw Self.invalid("metadata", "must be a JSON object") }
        let redirectURIs = try stringArray(document, "redirect_uris") ?? []
        let method = try string(document, "token_endpoint_auth_method") ?? "client_secret_basic"
        let name = try string(document, "client_name") ?? clientID
        let host = redirectURIs.first.flatMap { URL(string: $0)?.host } ?? clientID
        let grantTypes = Set(try stringArray(document, "grant_types") ?? ["authorization_code"])
        let responseTypes = Set(try stringArray(document, "response_types") ?? ["code"])
        let jwks = try document["jwks"].map { value throws(OAuthError) in
            do { return try JWKSet(json: value) } catch { throw Self.invalid("jwks", "is not a usable JWK Set: \(error)") }
        }
        let alg = try string(document, "id_token_signed_response_alg").map { text throws(OAuthError) in
            guard let alg = JWSAlgorithm(rawValue: text) else { throw Self.invalid("id_token_signed_response_alg", "is not supported") }
            return alg
        } ?? .rs256
        return Client(
            id: clientID, metadata: document, name: name,
            applicationType: try string(document, "application_type") == "native" ? .native : .web,
            redirectURIs: redirectURIs, postLogoutRedirectURIs: try stringArray(document, "post_logout_redirect_uris") ?? [],
            grantTypes: grantTypes, responseTypes: responseTypes, tokenEndpointAuthMethod: method, secretHash: secretHash,
            jwks: jwks, jwksURI: try string(document, "jwks_uri"), idTokenSignedResponseAlg: alg, sectorIdentifier: host,
            partnerID: partnerID)
    }

    static func invalid(_ field: String, _ problem: String) -> OAuthError {
        OAuthError("invalid_client_metadata", "\(field) \(problem)")
    }

    func string(_ document: JSONValue, _ field: String) throws(OAuthError) -> String? {
        guard let value = document[field], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw Self.invalid(field, "must be a string") }
        return text
    }

    func stringArray(_ document: JSONValue, _ field: String) throws(OAuthError) -> [String]? {
        guard let value = document[field], !value.isNull else { return nil }
        guard let array = value.arrayValue else { throw Self.invalid(field, "must be an array of strings") }
        var out: [String] = []
        for item in array {
            guard let text = item.stringValue else { throw Self.invalid(field, "must be an array of strings") }
            out.append(text)
        }
        return out
    }
}
