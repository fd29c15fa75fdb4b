import JSON

/// The app's event-stream transport: a minimal HTTP/1.0 client over a plain socket, for
/// development brokers on loopback only (`http://127.0.0.1:…`, `http://localhost:…`,
/// `http://[::1]:…`, CONTRACT.md "Development brokers").
///
/// Why not `HTTPClient`: it is request/response (the whole body before returning), and a
/// production phone would hold its stream over TLS through the platform's own stack. HTTP/1.0
/// keeps this reader small: the broker sends the stream unframed and ends it by closing.
public struct LoopbackEventStreams: EventStreamTransport {
    /// Seconds without a byte (event or heartbeat) before the stream counts as dropped; the
    /// broker's heartbeat comes every 15 s by default.
    public var receiveTimeout: Int

    public init(receiveTimeout: Int = 45) {
        self.receiveTimeout = receiveTimeout
    }

    public func open(url: String, headers: [(String, String)]) throws(DeviceError) -> any EventStreamConnection {
        let target = try Self.target(of: url)
        let socket = try LoopbackSocket(host: target.host, port: target.port, receiveTimeout: receiveTimeout)
        var head = "GET \(target.path) HTTP/1.0\r\nHost: \(target.hostHeader)\r\n"
        for (name, value) in headers {
            guard !(name + value).contains(where: { $0 == "\r" || $0 == "\n" }) else { throw .usage("a header with a line break") }
            head += "\(name): \(value)\r\n"
        }
        try socket.writeAll(Array((head + "\r\n").utf8))

        var received: [UInt8] = []
        while true {
            if let parsed = try Self.parseHead(received) {
                guard parsed.status == 200 else {
                    throw Self.refusal(status: parsed.status, body: try Self.readBody(socket, after: parsed.rest))
                }
                guard parsed.contentType.lowercased().hasPrefix("text/event-stream") else {
                    throw .unexpectedResponse("the request stream answered \(parsed.contentType), not text/event-stream")
                }
                return SocketEventStream(socket: socket, pending: parsed.rest)
            }
            let more = try socket.read()
            guard !more.isEmpty else { throw .streamDropped("the broker closed the connection before answering") }
            received += more
        }
    }

    struct Target: Equatable {
        let host: LoopbackHost
        let hostHeader: String
        let port: UInt16
        let path: String
    }

    /// `http://<loopback host>[:port]/path`; anything else is refused with a usage error
    /// naming why.
    static func target(of url: String) throws(DeviceError) -> Target {
        guard url.hasPrefix("http://") else {
            throw .usage("listen holds its stream over plain http to a loopback development broker only; \(url) is not one")
        }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = String(authority)
        var port: UInt16 = 80
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            guard let parsed = UInt16(authority[authority.index(after: colon)...]), parsed != 0 else {
                throw .usage("bad port in \(url)")
            }
            port = parsed
            host = String(authority[..<colon])
        }
        guard let loopback = LoopbackHost(host) else { throw .usage("listen needs a loopback broker; \(host) is not loopback") }
        return Target(host: loopback, hostHeader: String(authority), port: port, path: path.isEmpty ? "/" : String(path))
    }

    struct Head {
        let status: Int
        let contentType: String
        let rest: [UInt8]
    }

    /// The status line and headers once `bytes` hold all of them (nil before); what follows is
    /// `rest`. A head past 16 KiB or without a status line throws.
    static func parseHead(_ bytes: [UInt8]) throws(DeviceError) -> Head? {
        let end: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        guard let range = bytes.firstRange(of: end) else {
            guard bytes.count <= 16 * 1024 else { throw .unexpectedResponse("a response head past 16 KiB") }
            return nil
        }
        let lines = String(decoding: bytes[..<range.lowerBound], as: UTF8.self).split(separator: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw .unexpectedResponse("no HTTP status line")
        }
        var contentType = ""
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == "content-type" {
                contentType = String(line[line.index(after: colon)...]).trimmingSpaces
            }
        }
        return Head(status: status, contentType: contentType, rest: Array(bytes[range.upperBound...]))
    }

    private static func readBody(_ socket: LoopbackSocket, after first: [UInt8]) throws(DeviceError) -> [UInt8] {
        var body = first
        while body.count < 64 * 1024 {
            let more = try socket.read()
            if more.isEmpty { break }
            body += more
        }
        return body
    }

    static func refusal(status: Int, body: [UInt8]) -> DeviceError {
        let document = try? JSONValue(parsing: body)
        return .refused(status: status, error: document?["error"]?.stringValue.map(BrokerClient.oneLine) ?? "HTTP \(status)",
                        description: document?["error_description"]?.stringValue.map(BrokerClient.oneLine))
    }
}

/// The body of an open stream: the bytes that came with the head first, then the socket.
final class SocketEventStream: EventStreamConnection {
    private let socket: LoopbackSocket
    private var pending: [UInt8]

    init(socket: LoopbackSocket, pending: [UInt8]) {
        self.socket = socket
        self.pending = pending
    }

    func read() throws(DeviceError) -> [UInt8] {
        if !pending.isEmpty {
            defer { pending = [] }
            return pending
        }
        return try socket.read()
    }
}
