import Broker
import HTTP
import JSON

extension BrokerRoutes {
    /// `/token`, `/userinfo`, `/introspect`, `/revoke`: each parses its request into the
    /// broker's typed value, calls the broker, and renders the answer or the `OAuthError`.
    func registerBackChannel(on router: Router) {
        let broker = self.broker
        let log = self.log
        let issuer = broker.configuration.issuer

        router.post("/token") { request in
            Self.noStore(Self.clientAuthenticated(log) { () throws(OAuthError) in
                let form = try BackChannelForm(request)
                let tokenRequest = TokenRequest(
                    grantType: form.parameters["grant_type"] ?? "", parameters: form.parameters, credentials: form.credentials)
                return .json(200, try broker.tokenEndpoint.token(tokenRequest).json)
            })
        }

        let userinfo: HTTPHandlerFunction = { request in
            Self.noStore(Self.bearerProtected(log) { () throws(OAuthError) in
                let token = try Self.userinfoToken(request)
                return Responses.json(200, try broker.userInfo.claims(accessToken: token))
            })
        }
        router.get("/userinfo", userinfo)
        router.post("/userinfo", userinfo)

        router.post("/introspect") { request in
            Self.noStore(Self.clientAuthenticated(log) { () throws(OAuthError) in
                let form = try BackChannelForm(request)
                let client = try broker.clientAuthenticator.authenticate(form.credentials, endpoint: issuer + "/introspect")
                // RFC 7662 §2.1: the endpoint "MUST also require some form of authorization";
                // a public client proves nothing, so it may not introspect.
                guard !client.isPublic else { throw .invalidClient("introspection requires a confidential client") }
                let token = try form.required("token")
                return Responses.json(200, try broker.introspection.introspect(token: token, hint: form.parameters["token_type_hint"], client: client))
            })
        }

        router.post("/revoke") { request in
            Self.clientAuthenticated(log) { () throws(OAuthError) in
                let form = try BackChannelForm(request)
                let client = try broker.clientAuthenticator.authenticate(form.credentials, endpoint: issuer + "/revoke")
                let token = try form.required("token")
                try broker.revocation.revoke(token: token, hint: form.parameters["token_type_hint"], client: client)
                // RFC 7009 §2.2: 200 whether or not the token was valid; the body is ignored.
                return HTTPResponse(status: 200)
            }
        }
    }

    /// A client-authenticated endpoint's errors: a 401 names the `Basic` scheme (RFC 6749 §5.2),
    /// the one HTTP authentication scheme a client may use here.
    static func clientAuthenticated(_ log: @escaping @Sendable (String) -> Void,
                                    _ body: () throws(OAuthError) -> HTTPResponse) -> HTTPResponse {
        do {
            return try body()
        } catch {
            var response = Responses.error(error, log: log)
            if response.status == 401 { response.headers["WWW-Authenticate"] = "Basic realm=\"phisut\", charset=\"UTF-8\"" }
            return response
        }
    }

    /// A bearer-protected resource's errors (RFC 6750 §3): 401 and 403 carry the challenge.
    static func bearerProtected(_ log: @escaping @Sendable (String) -> Void,
                                _ body: () throws(OAuthError) -> HTTPResponse) -> HTTPResponse {
        do {
            return try body()
        } catch {
            var response = Responses.error(error, log: log)
            if response.status == 403 || response.status == 401 {
                response.headers["WWW-Authenticate"] = "Bearer realm=\"phisut\", error=\"\(error.code)\""
            }
            return response
        }
    }

    /// RFC 6749 §5.1: "Cache-Control: no-store" on every response carrying tokens or claims.
    static func noStore(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return response
    }

    /// The access token of a userinfo request: the `Authorization: Bearer` header (RFC 6750 §2.1)
    /// or the `access_token` form field of a POST (§2.2), never both (§2: "Clients MUST NOT use
    /// more than one method to transmit the token in each request").
    static func userinfoToken(_ request: HTTPRequest) throws(OAuthError) -> String {
        let header = request.bearerToken
        var field: String?
        // §2.2: the form body counts only when it is application/x-www-form-urlencoded.
        if request.method == "POST",
           request.headers["Content-Type"]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            field = try BackChannelForm(request).parameters["access_token"]
        }
        switch (header, field) {
        case (.some, .some): throw .invalidRequest("send the access token in the Authorization header or the form, not both")
        case (.some(let token), nil), (nil, .some(let token)): return token
        case (nil, nil):
            if request.headers["Authorization"] != nil { throw .invalidToken("the Authorization header must use the Bearer scheme") }
            throw .invalidToken("an access token is required")
        }
    }
}
