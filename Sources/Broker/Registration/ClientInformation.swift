import JSON

/// The answer to a registration (RFC 7591 §3.2.1) or a client configuration request
/// (RFC 7592 §3): the registered metadata plus the broker-issued members.
public struct ClientInformation: Sendable {
    public let clientID: String
    /// Only when the broker issued a new secret (registration of a secret-based client, or an
    /// update that switched to one); secrets are stored hashed and never shown again.
    public let clientSecret: String?
    public let issuedAt: Int64
    /// The current registration access token (RFC 7592 §3): new at registration and on every
    /// update; a read echoes the one presented.
    public let registrationAccessToken: String
    public let registrationClientURI: String
    /// The validated metadata, defaults made explicit.
    public let metadata: JSONValue

    /// The JSON body of RFC 7591 §3.2.1.
    public var json: JSONValue {
        var body = metadata.objectValue ?? [:]
        body["client_id"] = .string(clientID)
        body["client_id_issued_at"] = .int(issuedAt)
        if let clientSecret {
            body["client_secret"] = .string(clientSecret)
            // "REQUIRED if "client_secret" is issued … 0 if it will not expire."
            body["client_secret_expires_at"] = 0
        }
        body["registration_access_token"] = .string(registrationAccessToken)
        body["registration_client_uri"] = .string(registrationClientURI)
        return .object(body)
    }
}
