import Glibc

/// An IPv4 or IPv6 address and its scope, as far as the address policy cares.
struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, network order.
    let bytes: [UInt8]

    enum Scope: String, Sendable {
        case global, loopback, privateUse = "private", linkLocal = "link-local", unspecified, multicast,
            reserved
    }

    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Reads an `AF_INET`/`AF_INET6` socket address; nil for other families or short buffers.
    init?(sockaddr pointer: UnsafeRawPointer, length: Int) {
        let family = Int32(pointer.loadUnaligned(as: sa_family_t.self))
        if family == AF_INET, length >= MemoryLayout<sockaddr_in>.size {
            let sin = pointer.loadUnaligned(as: sockaddr_in.self)
            self.bytes = withUnsafeBytes(of: sin.sin_addr) { Array($0) }
        } else if family == AF_INET6, length >= MemoryLayout<sockaddr_in6>.size {
            let sin6 = pointer.loadUnaligned(as: sockaddr_in6.self)
            self.bytes = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
        } else {
            return nil
        }
    }

    var isV4: Bool { bytes.count == 4 }

    var scope: Scope {
        if isV4 { return Self.scopeV4(bytes) }
        let b = bytes
        let first12Zero = b[0..<12].allSatisfy { $0 == 0 }
        if first12Zero {
            if b[12..<15].allSatisfy({ $0 == 0 }) && (b[15] == 0 || b[15] == 1) {
                return b[15] == 0 ? .unspecified : .loopback
            }
            return Self.scopeV4(Array(b[12..<16]))  // deprecated IPv4-compatible
        }
        // IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96) reach the embedded IPv4 address.
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff {
            return Self.scopeV4(Array(b[12..<16]))
        }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..<12].allSatisfy({ $0 == 0 }) {
            return Self.scopeV4(Array(b[12..<16]))
        }
        if b[0] == 0x20 && b[1] == 0x02 { return Self.scopeV4(Array(b[2..<6])) }  // 6to4
        if b[0] & 0xfe == 0xfc { return .privateUse }  // fc00::/7 unique local
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return .linkLocal }  // fe80::/10
        if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return .privateUse }  // fec0::/10 old site-local
        if b[0] == 0xff { return .multicast }
        return .global
    }

    private static func scopeV4(_ b: [UInt8]) -> Scope {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): .unspecified  // 0/8 "this network"; 0.0.0.0 reaches localhost on Linux
        case (127, _, _): .loopback
        case (10, _, _), (192, 168, _): .privateUse
        case (172, let x, _) where x & 0xf0 == 16: .privateUse
        case (100, let x, _) where x & 0xc0 == 64: .privateUse  // CGNAT 100.64/10
        case (198, let x, _) where x & 0xfe == 18: .privateUse  // benchmarking 198.18/15
        case (169, 254, _): .linkLocal
        case (192, 0, 0): .reserved  // IETF protocol assignments
        case (224...239, _, _): .multicast
        case (240...255, _, _): .reserved  // includes the limited broadcast
        default: .global
        }
    }

    var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(isV4 ? AF_INET : AF_INET6, raw.baseAddress, &text, socklen_t(text.count)) != nil
        }
        guard ok else { return bytes.map { String($0) }.joined(separator: ".") }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The form CURLOPT_RESOLVE expects: IPv6 in brackets.
    var resolveForm: String { isV4 ? description : "[\(description)]" }
}
