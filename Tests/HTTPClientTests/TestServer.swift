import Foundation
import Glibc

/// A tiny HTTP/1.1 server on 127.0.0.1 for the client tests: one thread accepting, one thread
/// per connection, keep-alive, a handful of canned routes.
///
/// `@unchecked Sendable`: the only mutable state (`accepted`, `isStopped`) is guarded by `lock`.
final class TestServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var accepted = 0
    private var isStopped = false

    struct SetupError: Error { let step: String; let code: Int32 }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SetupError(step: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw SetupError(step: "bind/listen", code: errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    var acceptedConnections: Int { lock.withLock { accepted } }

    func stop() {
        let wasStopped = lock.withLock {
            defer { isStopped = true }
            return isStopped
        }
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))  // wakes the blocked accept()
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.withLock { accepted += 1 }
            let connection = Thread { TestServer.serve(client) }
            connection.start()
        }
    }

    /// Serves requests on one connection until the peer closes or a route closes it.
    private static func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            guard let headEnd = readUntil(fd, &buffer, terminator) else { return }
            if buffer.first.map({ $0 < UInt8(ascii: "A") || $0 > UInt8(ascii: "Z") }) ?? true {
                // Not HTTP (a TLS ClientHello, say): answer in plain text and hang up.
                write(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            }
            let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
            buffer.removeFirst(headEnd + terminator.count)
            let lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.first?.split(separator: " ") ?? []
            guard requestLine.count == 3 else { return }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count < length {
                guard readMore(fd, &buffer) else { return }
            }
            let body = Array(buffer.prefix(length))
            buffer.removeFirst(length)
            let keepOpen = respond(fd, method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
            guard keepOpen else { return }
        }
    }

    /// Writes the answer; false closes the connection.
    private static func respond(_ fd: Int32, method: String, path: String, headers: [String: String], body: [UInt8]) -> Bool {
        switch path {
        case "/hello":
            return send(fd, status: "200 OK", headers: ["X-Test: yes", "Content-Type: text/plain"], body: Array("hello".utf8))
        case "/echo":
            let seen = headers["authorization"] ?? "none"
            return send(fd, status: "200 OK", headers: ["X-Seen-Authorization: \(seen)"], body: Array("\(method) ".utf8) + body)
        case "/multi":
            return send(fd, status: "200 OK", headers: ["x-multi: a", "X-Multi: b", "X-Empty:"], body: [])
        case "/slow":
            // Never answer; wait for the client to give up and close.
            var scratch: [UInt8] = []
            while readMore(fd, &scratch) { scratch.removeAll() }
            return false
        case "/huge":
            let total = 4 << 20
            guard write(fd, "HTTP/1.1 200 OK\r\nContent-Length: \(total)\r\n\r\n") else { return false }
            return sendFiller(fd, total: total)
        case "/huge-unannounced":
            guard write(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n") else { return false }
            _ = sendFiller(fd, total: 4 << 20)
            return false
        case "/redirect":
            return send(fd, status: "302 Found", headers: ["Location: /hello"], body: [])
        case "/redirect-private":
            return send(fd, status: "302 Found", headers: ["Location: http://10.0.0.1/"], body: [])
        case "/redirect-localhost":
            // Same server under another name: a different origin.
            let port = headers["host"]?.split(separator: ":").last.map(String.init) ?? "0"
            return send(fd, status: "307 Temporary Redirect", headers: ["Location: http://localhost:\(port)/echo"], body: [])
        case "/see-other":
            return send(fd, status: "303 See Other", headers: ["Location: /echo"], body: [])
        case "/loop":
            return send(fd, status: "302 Found", headers: ["Location: /loop"], body: [])
        default:
            return send(fd, status: "404 Not Found", headers: [], body: [])
        }
    }

    private static func send(_ fd: Int32, status: String, headers: [String], body: [UInt8]) -> Bool {
        var head = "HTTP/1.1 \(status)\r\n"
        for header in headers { head += header + "\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        return write(fd, Array(head.utf8) + body)
    }

    private static func sendFiller(_ fd: Int32, total: Int) -> Bool {
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
        var sent = 0
        while sent < total {
            guard write(fd, chunk) else { return false }
            sent += chunk.count
        }
        return true
    }

    @discardableResult
    private static func write(_ fd: Int32, _ text: String) -> Bool { write(fd, Array(text.utf8)) }

    private static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    private static func readUntil(_ fd: Int32, _ buffer: inout [UInt8], _ terminator: [UInt8]) -> Int? {
        while true {
            if let found = find(terminator, in: buffer) { return found }
            if !buffer.isEmpty && buffer[0] == 0x16 { return 0 }  // TLS record: no terminator will come
            guard readMore(fd, &buffer) else { return nil }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }

    private static func readMore(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            buffer.append(contentsOf: chunk[..<n])
            return true
        }
    }
}
