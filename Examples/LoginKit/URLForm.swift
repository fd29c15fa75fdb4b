import Foundation
import HTTP

/// `application/x-www-form-urlencoded` and URL helpers for the client side: the examples build
/// authorization URLs, post forms and read redirect locations without Foundation's URL types
/// (whose parsing differs between platforms).
public enum URLForm {
    /// `name=value&…`, every byte but RFC 3986 unreserved characters percent-encoded.
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// RFC 3986 §2.3 unreserved characters: the only ones left as they are.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but unreserved characters (UTF-8 bytes, RFC 3986 §2.1).
    public static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// Decodes a query or form body; a name given twice keeps its first value, which is what a
    /// relying party reading `code`/`state`/`iss` wants to notice, so `duplicates` lists them.
    public static func decode(_ text: some StringProtocol) throws(LoginKitError) -> (values: [String: String], duplicates: [String]) {
        let parameters: HTTPParameters
        do { parameters = try HTTPParameters.parse(urlEncoded: Array(text.utf8), plusAsSpace: true) } catch {
            throw .validation("malformed query \(text.prefix(80))")
        }
        var values: [String: String] = [:]
        for pair in parameters.pairs where values[pair.name] == nil { values[pair.name] = pair.value }
        return (values, parameters.duplicatedNames)
    }

    /// The query of an absolute or relative URL (without the fragment), or "".
    public static func query(of url: String) -> Substring {
        let withoutFragment = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard let mark = withoutFragment.firstIndex(of: "?") else { return "" }
        return withoutFragment[withoutFragment.index(after: mark)...]
    }

    /// The URL without query and fragment.
    public static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }

    /// `scheme://host[:port]` of an absolute URL, or nil when `url` is not absolute.
    public static func origin(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty else { return nil }
        return String(url[..<schemeEnd.upperBound]) + authority
    }

    /// Resolves a `Location` or form `action` against the URL of the page it came from: absolute
    /// URLs stay, `/path` joins the origin, `?query` replaces the query, anything else replaces
    /// the last path segment (RFC 3986 §5.2, the cases pages actually use).
    public static func resolve(_ reference: String, against base: String) -> String {
        if reference.contains("://") { return reference }
        guard let origin = origin(of: base) else { return reference }
        if reference.isEmpty { return withoutQuery(base) + (query(of: base).isEmpty ? "" : "?" + query(of: base)) }
        if reference.hasPrefix("/") { return origin + reference }
        if reference.hasPrefix("?") { return withoutQuery(base) + reference }
        let path = withoutQuery(base).dropFirst(origin.count)
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return origin + directory + reference
    }
}
