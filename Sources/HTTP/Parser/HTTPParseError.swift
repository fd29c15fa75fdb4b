/// Why the server refuses a request before any handler sees it. Every case closes the connection.
package enum HTTPParseError: Error, Sendable, Equatable {
    case badRequest(String)
    case headersTooLarge
    case bodyTooLarge
    case notImplemented(String)
    case expectationFailed

    /// The JSON error the server answers with.
    var response: HTTPResponse {
        switch self {
        case .badRequest(let why): .error(400, "invalid_request", why)
        case .headersTooLarge: .error(431, "headers_too_large", "request line and headers are too large")
        case .bodyTooLarge: .error(413, "request_too_large", "request body is too large")
        case .notImplemented(let why): .error(501, "not_implemented", why)
        case .expectationFailed: .error(417, "invalid_request", "only 100-continue is supported in Expect")
        }
    }
}
