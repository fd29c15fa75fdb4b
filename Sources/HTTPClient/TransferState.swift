import CCurl
import Glibc

/// What libcurl's callbacks see during one transfer. Only the thread running
/// `curl_easy_perform` touches it, through an unretained pointer kept alive by the caller.
final class TransferState {
    let limit: Int
    /// The only addresses a socket may be opened to: the ones the policy checked.
    let approved: Set<IPAddress>
    var body: [UInt8] = []
    var headers: [(String, String)] = []
    var headerBytes = 0
    var exceeded = false
    /// Set when libcurl tried to connect somewhere we did not approve.
    var refused: IPAddress?
    var refusedUnknownFamily = false

    init(limit: Int, approved: Set<IPAddress>) {
        self.limit = limit
        self.approved = approved
    }

    /// Header bytes allowed per transfer (all responses, 1xx included), apart from the body cap.
    static let headerLimit = 256 << 10

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ pointer: UnsafeMutableRawPointer?) -> TransferState? {
        guard let pointer else { return nil }
        return Unmanaged<TransferState>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Returns the byte count to accept, 0 to abort the transfer.
    func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0, let data else { return 0 }
        guard body.count <= limit - count else {
            exceeded = true
            return 0
        }
        body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    /// One raw header line; a status line starts a new response (after 1xx or with a proxy).
    func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0, let data else { return 0 }
        headerBytes += count
        guard headerBytes <= Self.headerLimit else {
            exceeded = true
            return 0
        }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
            .trimmingWhitespace()
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon]).trimmingWhitespace()
            let value = String(line[line.index(after: colon)...]).trimmingWhitespace()
            if !name.isEmpty { headers.append((name, value)) }
        }
        return count
    }

    /// libcurl's CURLOPT_OPENSOCKETFUNCTION: opens the socket only for an approved address.
    func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>?) -> curl_socket_t {
        guard let address, let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr) else {
            return -1
        }
        let length = Int(address.pointee.addrlen)
        guard let ip = IPAddress(sockaddr: UnsafeRawPointer(address) + offset, length: length) else {
            refusedUnknownFamily = true
            return -1
        }
        guard approved.contains(ip) else {
            refused = ip
            return -1
        }
        let type = address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue)
        return socket(address.pointee.family, type, address.pointee.protocol)
    }
}

extension String {
    /// Trims ASCII spaces, tabs, CR and LF — by scalar, since "\r\n" is one Character.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
            let end = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[start...end])
    }
}
