import Storage

/// Authenticates the client of a back-channel request (token, introspection, revocation):
/// finds which method the credentials use, refuses two at once, and requires exactly the
/// method the client registered.
public struct ClientAuthenticator: Sendable {
    /// Every implemented method, by name. A new method is a new type added here.
    public static let methods: [String: any ClientAuthenticationMethod] = Dictionary(
        uniqueKeysWithValues: ([NoneAuthentication(), ClientSecretBasic(), ClientSecretPost(), PrivateKeyJWT()] as [any ClientAuthenticationMethod])
            .map { ($0.name, $0) })

    let clients: ClientRegistry
    let store: any Store
    let clock: any Clock
    let audit: Auditor
    let issuer: String
    let clockSkew: Int64

    /// The authenticated client. `endpoint` is the URL the request was sent to.
    ///
    /// Throws `invalid_request` for two methods at once or a `client_id` that disagrees with the
    /// credentials, `invalid_client` (401) for everything else.
    public func authenticate(_ credentials: ClientCredentials, endpoint: String) throws(OAuthError) -> Client {
        let presented = Self.methods.values.filter { $0.isPresented(in: credentials) }
        guard presented.count <= 1 else {
            throw .invalidRequest("the client used more than one authentication method: \(presented.map(\.name).sorted().joined(separator: ", "))")
        }
        let method = presented.first ?? NoneAuthentication()
        guard let clientID = method.claimedClientID(credentials) else {
            throw .invalidClient("client authentication is required")
        }
        if let formID = credentials.clientID, formID != clientID {
            throw .invalidRequest("client_id does not match the client's credentials")
        }
        guard let client = clients.client(id: clientID) else {
            audit.record("client.authentication", by: .anonymous, client: clientID, success: false, detail: "unknown client")
            throw .invalidClient("client authentication failed", debug: "unknown client \(clientID)")
        }
        do throws(OAuthError) {
            guard client.tokenEndpointAuthMethod == method.name else {
                throw .invalidClient("this client must authenticate with \(client.tokenEndpointAuthMethod)")
            }
            let context = ClientAuthenticationContext(issuer: issuer, endpoint: endpoint, now: clock.now, clockSkew: clockSkew, store: store,
                                                      clients: clients)
            try method.authenticate(credentials, as: client, context: context)
        } catch {
            audit.record("client.authentication", by: Actor(type: "client", id: client.id), client: client.id, success: false,
                         detail: "\(method.name): \(error.debug ?? error.errorDescription)")
            throw error
        }
        return client
    }
}
