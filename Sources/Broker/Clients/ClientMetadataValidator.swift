import Foundation
import JOSE
import JSON

/// The one validator of client metadata (RFC 7591 §2, OIDC Dynamic Client Registration §2):
/// `Metadata/clients/` files at start, and — in a later issue — `/register` and RFC 7592 updates.
///
/// Refusals are `invalid_client_metadata` or `invalid_redirect_uri` with a description that
/// starts with the field. Members the validator does not understand stay in `Client.metadata`
/// ("the authorization server MUST ignore any client metadata sent by the client that it does
/// not understand", RFC 7591 §2).
public struct ClientMetadataValidator: Sendable {
    public let developmentBroker: Bool
    public let signingAlgorithms: [JWSAlgorithm]

    /// `token_endpoint_auth_method` values the broker implements (one type each in
    /// Broker/ClientAuthentication).
    public static let authenticationMethods: Set<String> = ["none", "client_secret_basic", "client_secret_post", "private_key_jwt"]
    /// Grant types a client may register; CIBA's is accepted now and served by a later issue.
    public static let grantTypes: Set<String> = [
        "authorization_code", "refresh_token", "client_credentials", "urn:openid:params:grant-type:ciba",
    ]
    /// `token_endpoint_auth_signing_alg` values: asymmetric only, never HMAC or `none`.
    public static let assertionAlgorithms: Set<JWSAlgorithm> = [.rs256, .ps256, .es256, .edDSA]
    static let secretMethods: Set<String> = ["client_secret_basic", "client_secret_post"]

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
        let secret = try string(document, "client_secret")
        var metadata = document.objectValue ?? [:]
        metadata.removeValue(forKey: "client_secret")
        return try validate(.object(metadata), clientID: clientID, secretHash: secret.map(SecretHash.of), partnerID: nil)
    }

    /// Validates metadata for `clientID`. Secret-based methods need `secretHash`.
    public func validate(_ document: JSONValue, clientID: String, secretHash: String?, partnerID: String?) throws(OAuthError) -> Client {
        guard document.objectValue != nil else { throw Self.invalid("metadata", "must be a JSON object") }

        let applicationType: Client.ApplicationType
        switch try string(document, "application_type") ?? "web" {
        case "web": applicationType = .web
        case "native": applicationType = .native
        default: throw Self.invalid("application_type", "must be web or native")
        }

        let grantTypes = try grantTypes(document)
        let responseTypes = try responseTypes(document, grantTypes: grantTypes)

        // OIDC DCR §2: redirect_uris is REQUIRED; RFC 7591 §2 needs it for redirect-based flows.
        let redirectURIs = try stringArray(document, "redirect_uris") ?? []
        if grantTypes.contains("authorization_code"), redirectURIs.isEmpty {
            throw Self.invalidRedirect("redirect_uris is required for the authorization_code grant")
        }
        for uri in redirectURIs {
            if let problem = redirectProblem(uri, applicationType) { throw Self.invalidRedirect("redirect_uris: \(uri) \(problem)") }
        }
        let postLogoutURIs = try stringArray(document, "post_logout_redirect_uris") ?? []
        for uri in postLogoutURIs {
            if let problem = redirectProblem(uri, applicationType) { throw Self.invalid("post_logout_redirect_uris", "\(uri) \(problem)") }
        }

        let method = try authenticationMethod(document, grantTypes: grantTypes, secretHash: secretHash)
        let (jwks, jwksURI) = try keys(document, method: method)
        let assertionAlg = try algorithm(document, "token_endpoint_auth_signing_alg", allowed: Self.assertionAlgorithms)
        // OIDC DCR §2: the default is RS256. A client that never receives ID tokens
        // (client_credentials only) need not care whether this broker keeps an RSA key.
        let receivesIDTokens = grantTypes.contains("authorization_code") || grantTypes.contains("urn:openid:params:grant-type:ciba")
        let idTokenAlg = try algorithm(document, "id_token_signed_response_alg", allowed: Set(signingAlgorithms))
            ?? (receivesIDTokens || signingAlgorithms.contains(.rs256) ? .rs256 : signingAlgorithms.first ?? .rs256)
        guard signingAlgorithms.contains(idTokenAlg) else {
            throw Self.invalid("id_token_signed_response_alg", "defaults to RS256, which this broker does not sign with; register one of \(signingAlgorithms.map(\.rawValue).joined(separator: ", "))")
        }

        let (name, localizedNames) = try names(document, clientID: clientID)
        var pageURIs: [String: String] = [:]
        for field in ["logo_uri", "policy_uri", "tos_uri", "client_uri"] {
            guard let uri = try string(document, field) else { continue }
            if let problem = webURIProblem(uri) { throw Self.invalid(field, problem) }
            pageURIs[field] = uri
        }
        let allowedScopes = try scopes(document, grantTypes: grantTypes)
        let sectorURI = try string(document, "sector_identifier_uri")
        let sector = try sectorIdentifier(sectorURI, redirectURIs: redirectURIs, clientID: clientID)
        // ciba
        try validateCIBA(document, grantTypes: grantTypes, method: method, hasKeys: jwks != nil || jwksURI != nil)
        // end ciba

        return Client(
            id: clientID, metadata: document, name: name, localizedNames: localizedNames,
            applicationType: applicationType, redirectURIs: redirectURIs, postLogoutRedirectURIs: postLogoutURIs,
            grantTypes: grantTypes, responseTypes: responseTypes, tokenEndpointAuthMethod: method,
            secretHash: Self.secretMethods.contains(method) ? secretHash : nil,
            jwks: jwks, jwksURI: jwksURI, idTokenSignedResponseAlg: idTokenAlg, sectorIdentifier: sector,
            allowedScopes: allowedScopes, logoURI: pageURIs["logo_uri"], policyURI: pageURIs["policy_uri"],
            tosURI: pageURIs["tos_uri"],
            backchannelTokenDeliveryMode: try string(document, "backchannel_token_delivery_mode"),
            backchannelClientNotificationEndpoint: try string(document, "backchannel_client_notification_endpoint"),
            partnerID: partnerID, tokenEndpointAuthSigningAlg: assertionAlg, clientURI: pageURIs["client_uri"],
            sectorIdentifierURI: sectorURI)
    }

    // MARK: - rules, one per metadata member

    private func grantTypes(_ document: JSONValue) throws(OAuthError) -> Set<String> {
        let list = try stringArray(document, "grant_types") ?? ["authorization_code"]
        for type in list where !Self.grantTypes.contains(type) {
            throw Self.invalid("grant_types", "contains \(type), which this broker does not support")
        }
        let types = Set(list)
        if types.contains("refresh_token"), !types.contains("authorization_code"), !types.contains("urn:openid:params:grant-type:ciba") {
            throw Self.invalid("grant_types", "refresh_token needs a grant that issues refresh tokens (authorization_code)")
        }
        return types
    }

    /// RFC 7591 §2.1: `code` goes with `authorization_code`, and the other way round.
    private func responseTypes(_ document: JSONValue, grantTypes: Set<String>) throws(OAuthError) -> Set<String> {
        let defaulted = grantTypes.contains("authorization_code") ? ["code"] : []
        let list = try stringArray(document, "response_types") ?? defaulted
        for type in list where type != "code" {
            throw Self.invalid("response_types", "contains \(type); only code is supported")
        }
        let types = Set(list)
        guard types.contains("code") == grantTypes.contains("authorization_code") else {
            throw Self.invalid("response_types", "and grant_types are inconsistent: code goes with authorization_code (RFC 7591 §2.1)")
        }
        return types
    }

    private func authenticationMethod(_ document: JSONValue, grantTypes: Set<String>, secretHash: String?) throws(OAuthError) -> String {
        let method = try string(document, "token_endpoint_auth_method") ?? "client_secret_basic"
        guard Self.authenticationMethods.contains(method) else {
            throw Self.invalid("token_endpoint_auth_method", "must be one of \(Self.authenticationMethods.sorted().joined(separator: ", "))")
        }
        if method == "none", grantTypes.contains("client_credentials") {
            throw Self.invalid("token_endpoint_auth_method", "none is for public clients, which cannot use client_credentials")
        }
        if Self.secretMethods.contains(method), secretHash == nil {
            throw Self.invalid("client_secret", "is required for \(method)")
        }
        return method
    }

    /// RFC 7591 §2: "The "jwks_uri" and "jwks" parameters MUST NOT both be present".
    private func keys(_ document: JSONValue, method: String) throws(OAuthError) -> (JWKSet?, String?) {
        let uri = try string(document, "jwks_uri")
        let value = document["jwks"].flatMap { $0.isNull ? nil : $0 }
        if uri != nil, value != nil { throw Self.invalid("jwks", "and jwks_uri must not both be present (RFC 7591 §2)") }
        if let uri, let problem = webURIProblem(uri) { throw Self.invalid("jwks_uri", problem) }
        var set: JWKSet?
        if let value {
            do { set = try JWKSet(json: value) } catch { throw Self.invalid("jwks", "is not a usable JWK Set: \(error)") }
            if set?.keys.contains(where: \.isPrivate) == true {
                throw Self.invalid("jwks", "must hold public keys only")
            }
        }
        if method == "private_key_jwt" {
            guard uri != nil || set != nil else { throw Self.invalid("jwks", "or jwks_uri is required for private_key_jwt") }
            if let set, !set.keys.contains(where: { !$0.allowedAlgorithms.isEmpty }) {
                throw Self.invalid("jwks", "has no usable signing key for private_key_jwt")
            }
        }
        return (set, uri)
    }

    private func algorithm(_ document: JSONValue, _ field: String, allowed: Set<JWSAlgorithm>) throws(OAuthError) -> JWSAlgorithm? {
        guard let text = try string(document, field) else { return nil }
        guard let alg = JWSAlgorithm(rawValue: text), allowed.contains(alg) else {
            throw Self.invalid(field, "must be one of \(allowed.map(\.rawValue).sorted().joined(separator: ", ")), not \(text)")
        }
        return alg
    }

    /// `client_name` and its language-tagged forms (RFC 7591 §2.2).
    private func names(_ document: JSONValue, clientID: String) throws(OAuthError) -> (String, [String: String]) {
        let name = try string(document, "client_name") ?? clientID
        var localized: [String: String] = [:]
        for (key, _) in document.objectValue ?? [:] where key.hasPrefix("client_name#") {
            let tag = String(key.dropFirst("client_name#".count))
            guard !tag.isEmpty, let text = try string(document, key) else { throw Self.invalid(key, "must be a string with a language tag") }
            localized[tag] = text
        }
        return (name, localized)
    }

    private func scopes(_ document: JSONValue, grantTypes: Set<String>) throws(OAuthError) -> Set<String>? {
        guard let text = try string(document, "scope") else { return nil }
        guard let list = Scopes.parse(text) else { throw Self.invalid("scope", "must be space-separated scope tokens") }
        for scope in list {
            if Scopes.isAPIScope(scope) {
                guard grantTypes.contains("client_credentials") else {
                    throw Self.invalid("scope", "\(scope) is an API scope, only for client_credentials clients")
                }
            } else if !Scopes.offered.contains(scope) {
                throw Self.invalid("scope", "contains \(scope); this broker offers \(Scopes.offered.sorted().joined(separator: " "))")
            }
        }
        return Set(list)
    }

    /// OIDC Core §8.1: the sector is the host of `sector_identifier_uri`, else the one host of
    /// the redirect URIs. Loopback redirects (native apps, development) belong to no shared
    /// host, so such a client is a sector of its own; a private-use scheme is its own sector.
    private func sectorIdentifier(_ uri: String?, redirectURIs: [String], clientID: String) throws(OAuthError) -> String {
        if let uri {
            if let problem = webURIProblem(uri) { throw Self.invalid("sector_identifier_uri", problem) }
            guard let host = URIParts(uri)?.host else { throw Self.invalid("sector_identifier_uri", "has no host") }
            return host
        }
        let sectors = Set(redirectURIs.compactMap { URIParts($0) }.map { parts -> String in
            if let host = parts.host { return parts.isLoopback ? "client:" + clientID : host }
            return parts.scheme
        })
        guard sectors.count <= 1 else {
            throw Self.invalid("sector_identifier_uri", "is required when redirect_uris use more than one host (OIDC Core §8.1)")
        }
        return sectors.first ?? "client:" + clientID
    }

    // MARK: - URI rules

    /// Why `uri` cannot be a redirect URI of this kind of client, or nil.
    /// RFC 6749 §3.1.2 (absolute, no fragment), OIDC DCR §2 (web: https), RFC 8252 §7 (native:
    /// loopback IP literal, claimed https, or a private-use scheme in reverse-domain form).
    func redirectProblem(_ uri: String, _ type: Client.ApplicationType) -> String? {
        guard !uri.contains("#") else { return "must not contain a fragment" }
        guard let parts = URIParts(uri) else { return "is not an absolute URI" }
        switch (parts.scheme, type) {
        case ("https", _):
            return parts.host == nil ? "has no host" : nil
        case ("http", _) where parts.host == "localhost":
            return "must use a loopback IP literal (127.0.0.1 or [::1]), not localhost (RFC 8252 §8.3)"
        case ("http", .native):
            return parts.isLoopback ? nil : "must use https, or http on a loopback IP literal (RFC 8252 §7.3)"
        case ("http", .web):
            if parts.isLoopback { return developmentBroker ? nil : "http on loopback is allowed only on a development broker" }
            return "must use https"
        case (_, .web):
            return "must use https for a web client"
        case (let scheme, .native):
            // RFC 8252 §7.1: "a URI scheme based on a domain name under their control,
            // expressed in reverse order".
            guard scheme.split(separator: ".").count >= 2, !scheme.hasPrefix("."), !scheme.hasSuffix(".") else {
                return "uses a private-use scheme that is not in reverse-domain form (e.g. com.example.app:/cb)"
            }
            return nil
        }
    }

    /// Pages and documents the broker links to or fetches: https, or loopback http on a
    /// development broker.
    func webURIProblem(_ uri: String) -> String? {
        guard !uri.contains("#") else { return "must not contain a fragment" }
        guard let parts = URIParts(uri), parts.host != nil else { return "is not an absolute URL" }
        if parts.scheme == "https" { return nil }
        if parts.scheme == "http", parts.isLoopback, developmentBroker { return nil }
        return "must use https"
    }

    static func invalid(_ field: String, _ problem: String) -> OAuthError {
        OAuthError("invalid_client_metadata", "\(field) \(problem)")
    }

    static func invalidRedirect(_ description: String) -> OAuthError {
        OAuthError("invalid_redirect_uri", description)
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

/// The scheme and host of an absolute URI, lower-cased, with IPv6 brackets removed.
struct URIParts {
    let scheme: String
    let host: String?

    init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), !scheme.isEmpty else { return nil }
        self.scheme = scheme
        var host = url.host?.lowercased()
        if let bracketed = host, bracketed.hasPrefix("["), bracketed.hasSuffix("]") { host = String(bracketed.dropFirst().dropLast()) }
        self.host = host.flatMap { $0.isEmpty ? nil : $0 }
        // An authority-less http(s) URL is not absolute in the sense the rules need.
        if (scheme == "http" || scheme == "https"), self.host == nil { return nil }
    }

    /// A loopback IP literal (RFC 8252 §7.3): 127.0.0.0/8 or ::1 — never the name localhost.
    var isLoopback: Bool {
        guard let host else { return false }
        if host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
