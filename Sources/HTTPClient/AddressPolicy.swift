/// Which destinations partner-given URLs may point at.
///
/// Every address a host resolves to is classified (see `IPAddress.Scope`); the URL is refused
/// if any one of them is not permitted:
/// - public addresses are always permitted;
/// - loopback (127/8, ::1) only with `allowLoopback`;
/// - private (10/8, 172.16/12, 192.168/16, fc00::/7, CGNAT 100.64/10) only with `allowPrivate`;
/// - link-local (169.254/16 — cloud metadata lives there — and fe80::/10), unspecified, multicast
///   and reserved addresses never, except through `allowedHosts`.
///
/// A host in `allowedHosts` (compared by name, case-insensitively, without a trailing dot or
/// IPv6 brackets) skips the address check: that is how an operator allows one internal service.
///
/// With `requireHTTPS`, plain `http` is refused unless `allowLoopback` is set and every address
/// of the host is loopback — the "development broker" rule of CONTRACT.md.
public struct AddressPolicy: Sendable, Equatable {
    public var allowLoopback = false
    public var allowPrivate = false
    public var allowedHosts: Set<String> = []
    public var requireHTTPS = true

    public init(
        allowLoopback: Bool = false, allowPrivate: Bool = false, allowedHosts: Set<String> = [],
        requireHTTPS: Bool = true
    ) {
        self.allowLoopback = allowLoopback
        self.allowPrivate = allowPrivate
        self.allowedHosts = allowedHosts
        self.requireHTTPS = requireHTTPS
    }

    /// A development broker: loopback allowed, over `http` too; nothing private.
    public static let developmentLoopback = AddressPolicy(allowLoopback: true)
    /// https only, public addresses only.
    public static let production = AddressPolicy()
}

extension AddressPolicy {
    /// Whether `host` (already normalised) is allowed by name.
    func allowsByName(_ host: String) -> Bool {
        allowedHosts.contains { AddressPolicy.normalise($0) == host }
    }

    func permits(_ scope: IPAddress.Scope) -> Bool {
        switch scope {
        case .global: true
        case .loopback: allowLoopback
        case .privateUse: allowPrivate
        case .linkLocal, .unspecified, .multicast, .reserved: false
        }
    }

    /// Refuses `http` before any name is resolved when no address could make it acceptable.
    func checkSchemeEarly(_ scheme: String) throws(OutboundError) {
        if scheme == "http" && requireHTTPS && !allowLoopback { throw .insecureScheme }
    }

    /// The whole decision for one host and the addresses it resolved to.
    func check(scheme: String, host: String, addresses: [IPAddress]) throws(OutboundError) {
        if !allowsByName(host) {
            for address in addresses where !permits(address.scope) {
                throw .forbiddenAddress("\(host) is \(address) (\(address.scope))")
            }
        }
        if scheme == "http" && requireHTTPS {
            let allLoopback = !addresses.isEmpty && addresses.allSatisfy { $0.scope == .loopback }
            if !(allowLoopback && allLoopback) { throw .insecureScheme }
        }
    }

    /// Host names compare lowercased, without IPv6 brackets or a trailing root dot.
    static func normalise(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }
}
