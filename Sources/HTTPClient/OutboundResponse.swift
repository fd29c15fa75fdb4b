/// The answer to an ``OutboundRequest``: the final response as received (a 3xx is returned as-is
/// unless the client follows redirects).
public struct OutboundResponse: Sendable {
    public var status: Int
    /// Response headers in received order, names as the server spelled them.
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header named `name`, compared case-insensitively (RFC 9110 §5.1).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }
}
