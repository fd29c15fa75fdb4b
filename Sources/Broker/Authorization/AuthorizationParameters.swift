/// The decoded parameters of one `/authorize` request (query of a GET, form body of a POST),
/// in their original order so that repeated names stay visible.
public struct AuthorizationParameters: Sendable {
    public let pairs: [(name: String, value: String)]

    public init(_ pairs: [(name: String, value: String)]) { self.pairs = pairs }

    /// The first value of `name`, repeated or not (for the lenient reads before the checks ran).
    public func first(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// How many times `name` appears.
    public func count(_ name: String) -> Int { pairs.count { $0.name == name } }

    /// The value of `name` if present exactly once and not empty; nil if absent or empty;
    /// `invalid_request` if repeated (RFC 6749 §3.1: "Request and response parameters MUST NOT
    /// be included more than once"; OIDC Core §3.1.2.1 treats empty values as omitted).
    public func single(_ name: String) throws(OAuthError) -> String? {
        var found: String?
        for pair in pairs where pair.name == name {
            guard found == nil else { throw .invalidRequest("\(name) is included more than once") }
            found = pair.value
        }
        guard let found, !found.isEmpty else { return nil }
        return found
    }

    /// Names given more than once, in order of first appearance.
    public var duplicatedNames: [String] {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for pair in pairs {
            if counts[pair.name] == nil { order.append(pair.name) }
            counts[pair.name, default: 0] += 1
        }
        return order.filter { counts[$0, default: 0] > 1 }
    }
}
