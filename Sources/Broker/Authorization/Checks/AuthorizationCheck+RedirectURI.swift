extension AuthorizationCheck {
    /// `redirect_uri` is one of the client's registered URIs, compared as exact strings
    /// (RFC 9700 §4.1.3, OIDC Core §3.1.2.1) — except that a native client's loopback IP
    /// redirect may use any port (RFC 8252 §7.3: "The authorization server MUST allow any port
    /// to be specified at the time of the request for loopback IP redirect URIs"). Until this
    /// passes, errors are never redirected.
    static let redirectURI = AuthorizationCheck("redirect_uri") { context throws(OAuthError) in
        guard let client = context.client else { throw .invalidRequest("client_id is required") }
        guard let uri = try context.parameters.single("redirect_uri") else {
            throw .invalidRequest("redirect_uri is required")
        }
        guard RedirectURIMatcher.matches(uri, registered: client.redirectURIs, native: client.applicationType == .native) else {
            throw .invalidRedirectURI("redirect_uri is not registered for this client")
        }
        // The answer's shape is known from here on, even if a later check refuses these two
        // parameters: read them leniently now so that error responses carry them.
        if context.parameters.count("response_mode") == 1, context.parameters.first("response_mode") == ResponseMode.formPost.rawValue {
            context.responseMode = .formPost
        }
        if context.parameters.count("state") == 1, let state = context.parameters.first("state"), !state.isEmpty {
            context.state = state
        }
        context.redirectURI = uri
    }
}

/// Exact redirect URI matching, with RFC 8252 §7.3's loopback exception for native clients.
enum RedirectURIMatcher {
    static func matches(_ uri: String, registered: [String], native: Bool) -> Bool {
        if registered.contains(uri) { return true }
        guard native, let requested = LoopbackURI(uri) else { return false }
        return registered.contains { LoopbackURI($0).map { $0.host == requested.host && $0.rest == requested.rest } ?? false }
    }
}

/// `http://127.0.0.1[:port]/rest` or `http://[::1][:port]/rest`, split so that the port can be
/// ignored (RFC 8252 §7.3; `localhost` is not a loopback IP literal, §8.3).
struct LoopbackURI: Equatable {
    let host: String
    let port: Int?
    let rest: String

    init?(_ uri: String) {
        guard uri.hasPrefix("http://") else { return nil }
        var remainder = Substring(uri.dropFirst("http://".count))
        if remainder.hasPrefix("127.0.0.1") {
            host = "127.0.0.1"
        } else if remainder.hasPrefix("[::1]") {
            host = "[::1]"
        } else {
            return nil
        }
        remainder = remainder.dropFirst(host.count)
        if remainder.hasPrefix(":") {
            let digits = remainder.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 5, let port = Int(digits), port <= 65_535 else { return nil }
            self.port = port
            remainder = remainder.dropFirst(1 + digits.count)
        } else {
            port = nil
        }
        guard remainder.isEmpty || remainder.hasPrefix("/") || remainder.hasPrefix("?") else { return nil }
        rest = String(remainder)
    }
}
