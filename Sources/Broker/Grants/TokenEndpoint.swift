import Storage

/// The token endpoint (RFC 6749 §3.2) as the domain sees it. It owns the steps every grant
/// shares, so no grant can forget one: authenticate the client, find the grant type, check the
/// client registered it, run it.
public struct TokenEndpoint: Sendable {
    /// Every implemented grant, by `grant_type`. A new grant is a new type added here.
    public static let grants: [String: any TokenGrant] = Dictionary(
        uniqueKeysWithValues: ([AuthorizationCodeGrant(), RefreshTokenGrant(), ClientCredentialsGrant(), CIBAGrant()] as [any TokenGrant])
            .map { ($0.grantType, $0) })

    let authenticator: ClientAuthenticator
    let store: any Store
    let clock: any Clock
    let random: any RandomSource
    let tokens: TokenIssuer
    let pairwise: PairwiseSubjects
    let audit: Auditor
    /// This endpoint's URL, an accepted audience of client assertions (RFC 7523 §3).
    public let url: String

    /// Issues tokens for `request` or throws the `OAuthError` to answer with.
    public func token(_ request: TokenRequest) throws(OAuthError) -> TokenResponse {
        let client = try authenticator.authenticate(request.credentials, endpoint: url)
        guard !request.grantType.isEmpty else { throw .invalidRequest("grant_type is required") }
        guard let grant = Self.grants[request.grantType] else {
            throw .unsupportedGrantType("grant_type \(request.grantType) is not supported")
        }
        guard client.grantTypes.contains(grant.grantType) else {
            throw .unauthorizedClient("this client is not registered for the \(grant.grantType) grant")
        }
        let context = GrantContext(store: store, now: clock.now, random: random, tokens: tokens, pairwise: pairwise, audit: audit)
        return try grant.issue(request, client: client, context: context)
    }
}
