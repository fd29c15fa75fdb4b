/// A pending `/authorize` request, from its validated parameters to the redirect back to the
/// relying party. The browser carries only its id; every decision reads this record.
public struct AuthorizationRequestRecord: StoredRecord, Equatable {
    public static let kind = RecordKind(table: "authorization_requests")

    public var id: String
    public var clientID: String
    public var redirectURI: String
    /// "query" or "form_post".
    public var responseMode: String
    public var scopes: [String]
    public var state: String?
    public var nonce: String?
    public var codeChallenge: String?
    public var codeChallengeMethod: String?
    public var prompt: [String]
    public var maxAge: Int64?
    public var acrValues: [String]
    /// The OIDC `claims` request parameter, as JSON text.
    public var claims: String?
    public var uiLocales: [String]
    public var loginHint: String?
    public var idpHint: String?
    public var createdAt: Int64
    public var expiresAt: Int64
    public var status: AuthorizationRequestStatus
    public var citizenID: String?
    public var approvalID: String?
    public var authTime: Int64?
    public var acr: String?
    public var amr: [String]
    public var sessionID: String?

    public var collectAfter: Int64? { expiresAt }

    public init(
        id: String, clientID: String, redirectURI: String, responseMode: String, scopes: [String], state: String? = nil, nonce: String? = nil, codeChallenge: String? = nil, codeChallengeMethod: String? = nil, prompt: [String], maxAge: Int64? = nil, acrValues: [String], claims: String? = nil, uiLocales: [String], loginHint: String? = nil, idpHint: String? = nil, createdAt: Int64, expiresAt: Int64, status: AuthorizationRequestStatus, citizenID: String? = nil, approvalID: String? = nil, authTime: Int64? = nil, acr: String? = nil, amr: [String], sessionID: String? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.responseMode = responseMode
        self.scopes = scopes
        self.state = state
        self.nonce = nonce
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.prompt = prompt
        self.maxAge = maxAge
        self.acrValues = acrValues
        self.claims = claims
        self.uiLocales = uiLocales
        self.loginHint = loginHint
        self.idpHint = idpHint
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.status = status
        self.citizenID = citizenID
        self.approvalID = approvalID
        self.authTime = authTime
        self.acr = acr
        self.amr = amr
        self.sessionID = sessionID
    }
}
