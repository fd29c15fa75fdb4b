import Foundation
import HTTPClient

/// A scripted browser: keeps cookies per host (as browsers do, ports share them), follows
/// redirects itself so a caller can stop at the relying party's `redirect_uri`, and reads pages
/// as ``HTMLPage``s. One agent is one person's browser; it is not shared between threads.
public final class BrowserAgent {
    /// One answer as the browser saw it.
    public struct Response: Sendable {
        public let url: String
        public let status: Int
        /// `Location`, resolved against `url`, for 3xx answers.
        public let location: String?
        public let body: String

        public var page: HTMLPage { HTMLPage(html: body, url: url) }
    }

    private let client: HTTPClient
    private var cookies: [String: [String: String]] = [:]
    public var acceptLanguage = "en"

    public init(client: HTTPClient) {
        self.client = client
    }

    /// One request, no redirect followed.
    public func request(_ method: String, _ url: String, form: [(String, String)]? = nil) throws(LoginKitError) -> Response {
        var headers: [(String, String)] = [("Accept", "text/html"), ("Accept-Language", acceptLanguage)]
        let host = BrowserAgent.host(of: url)
        if let jar = cookies[host], !jar.isEmpty {
            headers.append(("Cookie", jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")))
        }
        var body: [UInt8] = []
        if let form {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = Array(URLForm.encode(form).utf8)
        }
        let answer: OutboundResponse
        do { answer = try client.send(OutboundRequest(method: method, url: url, headers: headers, body: body)) } catch {
            throw .transport("\(method) \(URLForm.withoutQuery(url)): \(error)")
        }
        for (name, value) in answer.headers where name.lowercased() == "set-cookie" { store(cookie: value, host: host) }
        let location = answer.header("Location").map { URLForm.resolve($0, against: url) }
        return Response(url: url, status: answer.status, location: (300..<400).contains(answer.status) ? location : nil,
                        body: String(decoding: answer.body, as: UTF8.self))
    }

    /// GETs `url` and follows redirects (at most 10) until a page answers, or until a redirect
    /// points at a URL starting with `stopAt` — that redirect is returned unfollowed, the way a
    /// native app's loopback listener or an RP's callback would receive it.
    public func open(_ url: String, stopAt: String? = nil) throws(LoginKitError) -> Response {
        try follow(request("GET", url), stopAt: stopAt)
    }

    /// Submits `form` (see ``HTMLPage/Form/submission(button:overrides:)``) and follows redirects
    /// like ``open(_:stopAt:)``. A 303 (and a 302 after POST) becomes a GET.
    public func submit(_ form: HTMLPage.Form, button: (name: String, value: String)? = nil,
                       overrides: [String: String] = [:], stopAt: String? = nil) throws(LoginKitError) -> Response {
        let pairs = form.submission(button: button, overrides: overrides)
        if form.method == "GET" {
            let separator = form.action.contains("?") ? "&" : "?"
            return try open(URLForm.withoutQuery(form.action) + separator + URLForm.encode(pairs), stopAt: stopAt)
        }
        return try follow(request("POST", form.action, form: pairs), stopAt: stopAt)
    }

    private func follow(_ first: Response, stopAt: String?) throws(LoginKitError) -> Response {
        var response = first
        for _ in 0..<10 {
            guard let location = response.location else { return response }
            if let stopAt, location.hasPrefix(stopAt) { return response }
            response = try request("GET", location)
        }
        throw .transport("more than 10 redirects from \(URLForm.withoutQuery(first.url))")
    }

    /// Keeps `name=value` of a `Set-Cookie` header; `Max-Age=0` or an empty value deletes it.
    private func store(cookie header: String, host: String) {
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let eq = first.firstIndex(of: "=") else { return }
        let name = String(first[..<eq])
        let value = String(first[first.index(after: eq)...])
        let expired = parts.dropFirst().contains { $0.lowercased() == "max-age=0" }
        if expired || value.isEmpty {
            cookies[host]?.removeValue(forKey: name)
        } else {
            cookies[host, default: [:]][name] = value
        }
    }

    static func host(of url: String) -> String {
        guard let origin = URLForm.origin(of: url), let schemeEnd = origin.range(of: "://") else { return url }
        let authority = origin[schemeEnd.upperBound...]
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") { return String(authority[...close]) }
        return String(authority.prefix { $0 != ":" })
    }
}
