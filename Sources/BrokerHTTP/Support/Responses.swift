import Foundation
import Broker
import HTTP
import JSON

/// Renders the broker's answers and refusals as HTTP responses.
enum Responses {
    static func json(_ status: Int = 200, _ value: JSONValue) -> HTTPResponse {
        .json(status, value.serialized())
    }

    /// An `OAuthError` as the JSON of RFC 6749 §5.2; a 401 also carries `WWW-Authenticate`
    /// (RFC 6750 §3). Anything else is a detail-free `server_error`, logged with its detail.
    static func error(_ error: any Error, log: (String) -> Void) -> HTTPResponse {
        let oauth: OAuthError
        if let known = error as? OAuthError {
            oauth = known
        } else {
            oauth = .serverError(debug: "\(error)")
        }
        if oauth.status >= 500 { log("server_error: \(oauth.debug ?? oauth.errorDescription)") }
        var response = json(oauth.status, ["error": .string(oauth.code), "error_description": .string(oauth.errorDescription)])
        if oauth.status == 401 {
            response.headers["WWW-Authenticate"] = "Bearer error=\"\(oauth.code)\", error_description=\"\(oauth.errorDescription.replacingQuotes())\""
        }
        return response
    }
}

extension String {
    fileprivate func replacingQuotes() -> String { String(unicodeScalars.map { $0 == "\"" || $0 == "\\" ? "'" : Character($0) }) }
}

extension HTTPRequest {
    /// The token of an `Authorization: Bearer` header (RFC 6750 §2.1), or nil.
    var bearerToken: String? {
        guard let value = headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The body as a JSON object, or `invalid_request`.
    func jsonObject() throws(OAuthError) -> JSONValue {
        let type = headers["Content-Type"]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") else {
            throw .invalidRequest("the body must be application/json")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            throw .invalidRequest("the body is not valid JSON: \(error)")
        }
        guard value.objectValue != nil else { throw .invalidRequest("the body must be a JSON object") }
        return value
    }
}

extension JSONValue {
    /// A member that must be a string when present.
    func string(_ name: String) throws(OAuthError) -> String? {
        guard let member = self[name], !member.isNull else { return nil }
        guard let text = member.stringValue else { throw .invalidRequest("\(name) must be a string") }
        return text
    }
}
