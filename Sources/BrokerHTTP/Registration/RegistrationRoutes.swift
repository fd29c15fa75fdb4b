import Broker
import HTTP
import JSON

extension BrokerRoutes {
    /// `/register` (RFC 7591 §3) and the client configuration endpoint `/register/{client_id}`
    /// (RFC 7592 §2): bearer-protected by the initial or the registration access token.
    func registerRegistration(on router: Router) {
        let broker = self.broker
        let log = self.log

        router.post("/register") { request in
            Self.noStore(Self.bearerProtected(log) { () throws(OAuthError) in
                let information = try broker.registration.register(body: try Self.registrationBody(request), initialAccessToken: request.bearerToken)
                // RFC 7591 §3.2.1: "HTTP 201 Created".
                return Responses.json(201, information.json)
            })
        }
        router.get("/register/{client_id}") { request in
            Self.noStore(Self.bearerProtected(log) { () throws(OAuthError) in
                let information = try broker.registration.read(
                    clientID: request.pathParameters["client_id"] ?? "", registrationAccessToken: request.bearerToken)
                return Responses.json(200, information.json)
            })
        }
        router.put("/register/{client_id}") { request in
            Self.noStore(Self.bearerProtected(log) { () throws(OAuthError) in
                let information = try broker.registration.update(
                    clientID: request.pathParameters["client_id"] ?? "", registrationAccessToken: request.bearerToken,
                    body: try Self.registrationBody(request))
                return Responses.json(200, information.json)
            })
        }
        router.delete("/register/{client_id}") { request in
            Self.bearerProtected(log) { () throws(OAuthError) in
                try broker.registration.delete(
                    clientID: request.pathParameters["client_id"] ?? "", registrationAccessToken: request.bearerToken)
                // RFC 7592 §2.3: "HTTP 204 No Content".
                return HTTPResponse(status: 204)
            }
        }
    }

    /// The body of a registration request: at most `RegistrationService.maxBodyBytes` (413),
    /// sent as `application/json` (RFC 7591 §3.1). The server's own limit answers 413 for bigger
    /// bodies before they reach here.
    static func registrationBody(_ request: HTTPRequest) throws(OAuthError) -> [UInt8] {
        guard request.body.count <= RegistrationService.maxBodyBytes else {
            throw OAuthError("invalid_request", "the request body is larger than \(RegistrationService.maxBodyBytes) bytes", status: 413)
        }
        guard request.headers["Content-Type"]?.lowercased().hasPrefix("application/json") == true else {
            throw OAuthError("invalid_client_metadata", "the request body must be application/json")
        }
        return request.body
    }
}
