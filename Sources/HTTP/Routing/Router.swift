import Foundation

public typealias HTTPHandlerFunction = @Sendable (HTTPRequest) throws -> HTTPResponse

/// Maps method + path pattern to a handler. Patterns are `/`-separated; a segment `{name}`
/// captures one path segment (percent-decoded into `pathParameters`).
///
/// Unknown paths get a JSON 404, known paths with another method a JSON 405 with `Allow`
/// (RFC 9110 §15.5.6). HEAD falls back to the GET route; the server omits the body.
// @unchecked: routes are mutated only under `lock`; handlers themselves are @Sendable.
public final class Router: @unchecked Sendable {
    /// Where a handler runs: on the worker pool (may block), or directly on the event loop
    /// (`.inline`: must never block, e.g. precomputed bytes).
    public enum Execution: Sendable { case worker, inline }

    struct Route {
        enum Segment { case literal(String), parameter(String) }
        let method: String
        let segments: [Segment]
        let execution: Execution
        let handler: HTTPHandlerFunction
    }

    enum Resolution {
        case matched(Route, [String: String])
        case rejected(HTTPResponse)
    }

    private let lock = NSLock()
    private var routes: [Route] = []

    public init() {}

    /// Registers `handler` for `method` (case-sensitive, RFC 9110 §9.1) and `pattern`.
    /// A later registration of the same method and pattern is ignored in favour of the first.
    public func add(
        _ method: String, _ pattern: String, execution: Execution = .worker, _ handler: @escaping HTTPHandlerFunction
    ) {
        let segments: [Route.Segment] = Self.split(pattern).map { segment in
            if segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2 {
                return .parameter(String(segment.dropFirst().dropLast()))
            }
            return .literal(String(segment))
        }
        lock.lock()
        routes.append(Route(method: method, segments: segments, execution: execution, handler: handler))
        lock.unlock()
    }

    public func get(_ pattern: String, execution: Execution = .worker, _ handler: @escaping HTTPHandlerFunction) {
        add("GET", pattern, execution: execution, handler)
    }

    public func post(_ pattern: String, execution: Execution = .worker, _ handler: @escaping HTTPHandlerFunction) {
        add("POST", pattern, execution: execution, handler)
    }

    public func put(_ pattern: String, execution: Execution = .worker, _ handler: @escaping HTTPHandlerFunction) {
        add("PUT", pattern, execution: execution, handler)
    }

    public func delete(_ pattern: String, execution: Execution = .worker, _ handler: @escaping HTTPHandlerFunction) {
        add("DELETE", pattern, execution: execution, handler)
    }

    /// Routes and runs `request` in-process, exactly as the server would (minus framing): errors
    /// are JSON, a throwing handler gives a detail-free 500, security headers are added.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch resolve(method: request.method, path: request.path) {
        case .rejected(let response):
            return response.withSecurityDefaults()
        case .matched(let route, let parameters):
            return Self.run(route.handler, request, parameters)
        }
    }

    static func run(_ handler: HTTPHandlerFunction, _ request: HTTPRequest, _ parameters: [String: String]) -> HTTPResponse {
        var request = request
        request.pathParameters = parameters
        do {
            return try handler(request).withSecurityDefaults()
        } catch {
            return HTTPResponse.serverError.withSecurityDefaults()
        }
    }

    func resolve(method: String, path: String) -> Resolution {
        let pathSegments = Self.split(path)
        lock.lock()
        let snapshot = routes
        lock.unlock()
        var allowed: [String] = []
        var headFallback: (Route, [String: String])?
        var malformed = false
        for route in snapshot {
            guard let parameters = Self.match(route.segments, pathSegments, malformed: &malformed) else { continue }
            if route.method == method { return .matched(route, parameters) }
            if method == "HEAD", route.method == "GET", headFallback == nil { headFallback = (route, parameters) }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        if let headFallback { return .matched(headFallback.0, headFallback.1) }
        if malformed { return .rejected(.error(400, "invalid_request", "malformed path")) }
        if allowed.isEmpty { return .rejected(.error(404, "not_found", "no such resource")) }
        if allowed.contains("GET"), !allowed.contains("HEAD") { allowed.append("HEAD") }
        var response = HTTPResponse.error(405, "method_not_allowed", "method not allowed for this resource")
        response.headers["Allow"] = allowed.joined(separator: ", ")
        return .rejected(response)
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }

    private static func match(_ pattern: [Route.Segment], _ path: [Substring], malformed: inout Bool) -> [String: String]? {
        guard pattern.count == path.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, actual) in zip(pattern, path) {
            switch segment {
            case .literal(let literal):
                if literal != actual { return nil }
            case .parameter(let name):
                guard !actual.isEmpty else { return nil }
                guard let decoded = try? percentDecode(actual.utf8, plusAsSpace: false) else {
                    malformed = true
                    return nil
                }
                parameters[name] = decoded
            }
        }
        return parameters
    }
}
