import Glibc

/// The one owner of a TCP socket descriptor: closed in `deinit`.
final class LoopbackSocket {
    private let descriptor: Int32

    /// Connects to `address` (IPv4 or IPv6 loopback) and sets a receive timeout, so a broker that
    /// vanishes without a FIN (no heartbeat arrives) is noticed.
    init(host: LoopbackHost, port: UInt16, receiveTimeout: Int) throws(DeviceError) {
        let family = host.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .streamDropped("socket: \(Self.lastError())") }
        self.descriptor = descriptor
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected: Int32
        if host.isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_addr = in6addr_loopback
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = in_addr(s_addr: host.ipv4.bigEndian)
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard connected == 0 else { throw .streamDropped("connect: \(Self.lastError())") }
    }

    deinit { close(descriptor) }

    func writeAll(_ bytes: [UInt8]) throws(DeviceError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw .streamDropped("send: \(Self.lastError())") }
            offset += written
        }
    }

    /// Up to `limit` bytes; empty at end of stream.
    func read(limit: Int = 16 * 1024) throws(DeviceError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw .streamDropped("no data or heartbeat in time") }
            guard count >= 0 else { throw .streamDropped("recv: \(Self.lastError())") }
            return Array(buffer.prefix(count))
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

/// A loopback host as a development-broker URL names it (CONTRACT.md: 127.0.0.0/8,
/// `localhost`, `[::1]`).
struct LoopbackHost: Equatable {
    let isIPv6: Bool
    /// Host byte order; unused for IPv6 (always ::1).
    let ipv4: UInt32

    init?(_ host: String) {
        switch host.lowercased() {
        case "localhost":
            self.init(isIPv6: false, ipv4: 0x7F00_0001)
        case "[::1]":
            self.init(isIPv6: true, ipv4: 0)
        default:
            let parts = host.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var value: UInt32 = 0
            for part in parts {
                guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part) else { return nil }
                value = value << 8 | UInt32(octet)
            }
            guard value >> 24 == 127 else { return nil }
            self.init(isIPv6: false, ipv4: value)
        }
    }

    private init(isIPv6: Bool, ipv4: UInt32) {
        self.isIPv6 = isIPv6
        self.ipv4 = ipv4
    }
}
