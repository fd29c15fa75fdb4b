import JOSE
import JSON

/// The rules dynamic registration adds to the one validator: limits, members OIDC DCR §2 defines
/// that the broker answers differently, the documents behind `sector_identifier_uri` and
/// `jwks_uri`, and the metadata a registration response returns.
extension ClientMetadataValidator {
    /// Most redirect (and post-logout redirect) URIs one client may register.
    public static let maxRedirectURIs = 20
    /// Longest URI any metadata member may hold.
    public static let maxURILength = 2_048

    /// Members the broker sets and a client may not choose (RFC 7591 §3.2.1, RFC 7592 §2.2):
    /// dropped from a registration or update request.
    public static let serverManagedMembers: Set<String> = [
        "client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at",
        "registration_access_token", "registration_client_uri",
    ]

    /// Pure checks every document gets, files included.
    func registrationRules(_ document: JSONValue) throws(OAuthError) {
        for field in ["redirect_uris", "post_logout_redirect_uris"] {
            let uris = try stringArray(document, field) ?? []
            if uris.count > Self.maxRedirectURIs {
                throw Self.invalid(field, "has \(uris.count) entries; at most \(Self.maxRedirectURIs) are allowed")
            }
        }
        for (key, value) in document.objectValue ?? [:] where key.hasSuffix("_uri") || key.hasSuffix("_uris") {
            let texts = value.stringValue.map { [$0] } ?? (value.arrayValue ?? []).compactMap(\.stringValue)
            if texts.contains(where: { $0.utf8.count > Self.maxURILength }) {
                throw Self.invalid(key, "holds a URI longer than \(Self.maxURILength) bytes")
            }
        }
        // OIDC DCR §2: subject_type; this broker gives every client pairwise subjects.
        if let type = try string(document, "subject_type"), type != "pairwise" {
            throw Self.invalid("subject_type", "must be pairwise; this broker issues no public subject identifiers")
        }
        if let statement = document["software_statement"], !statement.isNull, statement.stringValue == nil {
            throw OAuthError("invalid_software_statement", "software_statement must be a JWT string")
        }
    }

    /// What fetching adds to `validate`, run at registration and update only: the
    /// `sector_identifier_uri` document must list every redirect URI (OIDC DCR §2, Core §8.1), and
    /// `jwks_uri` must serve a usable JWK Set, which is returned for the cache.
    func verifyRemoteDocuments(_ client: Client, remote: RemoteMetadata) throws(OAuthError) -> JWKSet? {
        if let uri = client.sectorIdentifierURI {
            // OIDC DCR §2: "The URL references a file with a single JSON array of redirect_uri values."
            let listed: [String]
            do {
                let body = try remote.fetch(uri)
                guard let array = try JSONValue(parsing: body).arrayValue else { throw RemoteKeySetError.notAKeySet("not an array") }
                listed = array.compactMap(\.stringValue)
            } catch {
                throw OAuthError("invalid_client_metadata", "sector_identifier_uri could not be fetched as a JSON array of redirect URIs",
                                 debug: "\(uri): \(error)")
            }
            for uri in client.redirectURIs where !listed.contains(uri) {
                throw Self.invalid("sector_identifier_uri", "does not list the redirect URI \(uri) (OIDC Core §8.1)")
            }
        }
        guard let uri = client.jwksURI else { return nil }
        let set: JWKSet
        do {
            set = try remote.fetchKeySet(uri)
        } catch {
            throw OAuthError("invalid_client_metadata", "jwks_uri \(error.publicDescription)", debug: "\(uri): \(error)")
        }
        if set.keys.contains(where: \.isPrivate) { throw Self.invalid("jwks_uri", "serves private keys; it must publish public keys only") }
        if client.tokenEndpointAuthMethod == "private_key_jwt", !set.keys.contains(where: { !$0.allowedAlgorithms.isEmpty }) {
            throw Self.invalid("jwks_uri", "has no usable signing key for private_key_jwt")
        }
        return set
    }

    /// The registered metadata as the broker applies it (RFC 7591 §3.2.1: "all registered
    /// metadata about the client, including any fields provisioned by the authorization server"):
    /// the document with the defaults it was validated under made explicit.
    static func effectiveMetadata(_ client: Client) -> JSONValue {
        var document = client.metadata.objectValue ?? [:]
        for member in serverManagedMembers { document.removeValue(forKey: member) }
        document["application_type"] = .string(client.applicationType.rawValue)
        document["grant_types"] = .array(client.grantTypes.sorted().map { .string($0) })
        document["response_types"] = .array(client.responseTypes.sorted().map { .string($0) })
        document["token_endpoint_auth_method"] = .string(client.tokenEndpointAuthMethod)
        document["id_token_signed_response_alg"] = .string(client.idTokenSignedResponseAlg.rawValue)
        document["subject_type"] = "pairwise"
        return .object(document)
    }
}

extension RemoteKeySetError {
    /// What the partner is told: the kind of failure, no network detail.
    var publicDescription: String {
        switch self {
        case .unreachable: "could not be fetched"
        case .notAKeySet: "did not return a JWK Set"
        }
    }
}
