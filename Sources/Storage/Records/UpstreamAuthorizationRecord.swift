/// The broker's side of one authorization request it sent to an upstream identity provider:
/// what the callback must match (`state`, `nonce`) and prove (the PKCE verifier), and which
/// pending `/authorize` request it continues. Single use: the callback sets `usedAt` in the same
/// atomic update that reads it, so a replayed `state` finds it used.
public struct UpstreamAuthorizationRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "upstream_authorizations", indexes: ["authorization_request_id"])

    /// SHA-256 (hex) of the `state` sent upstream; the state itself is never stored.
    public var id: String
    public var idpID: String
    /// The pending `AuthorizationRequestRecord` this upstream login continues.
    public var authorizationRequestID: String
    public var nonce: String
    /// PKCE `code_verifier` (RFC 7636 §4.1) whose S256 challenge went upstream.
    public var codeVerifier: String
    /// The `redirect_uri` sent upstream, repeated at the token endpoint (RFC 6749 §4.1.3).
    public var redirectURI: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var usedAt: Int64?

    public var indexValues: [String?] { [authorizationRequestID] }
    public var collectAfter: Int64? { expiresAt }

    public init(
        id: String, idpID: String, authorizationRequestID: String, nonce: String, codeVerifier: String, redirectURI: String,
        createdAt: Int64, expiresAt: Int64, usedAt: Int64? = nil
    ) {
        self.id = id
        self.idpID = idpID
        self.authorizationRequestID = authorizationRequestID
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.redirectURI = redirectURI
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}
