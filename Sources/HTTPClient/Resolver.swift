import Glibc

extension IPAddress {
    /// Parses a numeric IPv4 or IPv6 literal (no brackets); nil for names.
    static func literal(_ text: String) -> IPAddress? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return IPAddress(bytes: withUnsafeBytes(of: v4) { Array($0) }) }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return IPAddress(bytes: withUnsafeBytes(of: v6) { Array($0) }) }
        return nil
    }
}

/// Name resolution done by us rather than libcurl, so that every address can be checked before
/// libcurl is told (CURLOPT_RESOLVE) to use exactly those.
enum Resolver {
    /// All distinct addresses of `host`, in resolver order.
    static func resolve(_ host: String) throws(OutboundError) -> [IPAddress] {
        if let literal = IPAddress.literal(host) { return [literal] }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let list else {
            throw .resolveFailed("\(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var result: [IPAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = list
        while let current = node {
            if let raw = current.pointee.ai_addr,
                let address = IPAddress(sockaddr: UnsafeRawPointer(raw), length: Int(current.pointee.ai_addrlen)),
                !result.contains(address)
            {
                result.append(address)
            }
            node = current.pointee.ai_next
        }
        guard !result.isEmpty else { throw .resolveFailed("\(host): no IPv4 or IPv6 address") }
        return result
    }
}
