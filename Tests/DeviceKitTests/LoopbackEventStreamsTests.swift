@testable import DeviceKit
import Foundation
import Glibc
import Testing

@Suite("the loopback event-stream reader")
struct LoopbackEventStreamsTests {
    @Test("loopback http URLs are accepted", arguments: [
        ("http://127.0.0.1:8080/device/v1/requests", "/device/v1/requests", UInt16(8080)),
        ("http://localhost:9/x", "/x", 9), ("http://127.1.2.3/", "/", 80), ("http://[::1]:81/p", "/p", 81),
    ])
    func accepted(_ url: String, _ path: String, _ port: UInt16) throws {
        let target = try LoopbackEventStreams.target(of: url)
        #expect(target.path == path && target.port == port)
    }

    @Test("anything but a loopback http URL is a usage error", arguments: [
        "https://127.0.0.1/x", "http://10.0.0.1/x", "http://127.0.0.1.evil.example/x", "http://id.example/x",
        "http://127.0.0.1:0/x", "http://127.0.0.1:99999/x", "http://128.0.0.1/x", "http://127.0.0.01.1/x",
    ])
    func refused(_ url: String) {
        #expect(throws: DeviceError.self) { try LoopbackEventStreams.target(of: url) }
    }

    @Test("the response head: status, content type, and the body bytes that came with it")
    func head() throws {
        #expect(try LoopbackEventStreams.parseHead(Array("HTTP/1.1 200 OK\r\nContent-Type: text/event".utf8)) == nil)
        let head = try #require(try LoopbackEventStreams.parseHead(
            Array("HTTP/1.1 200 OK\r\ncontent-type:  text/event-stream \r\nX: y\r\n\r\n:hb\n".utf8)))
        #expect(head.status == 200 && head.contentType == "text/event-stream" && head.rest == Array(":hb\n".utf8))
        #expect(throws: DeviceError.self) { try LoopbackEventStreams.parseHead(Array("SSH-2.0\r\n\r\n".utf8)) }
        #expect(throws: DeviceError.self) { try LoopbackEventStreams.parseHead(Array(repeating: 0x41, count: 17 * 1024)) }
    }

    @Test("over a real socket: sends an HTTP/1.0 GET with the headers, yields the body until close")
    func roundTrip() throws {
        let server = try OneShotServer(pieces: [
            "HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\n:hello\n\n", "event: request\ndata: {\"request_id\":",
            "\"r1\"}\n\n",
        ])
        let stream = try LoopbackEventStreams(receiveTimeout: 5).open(
            url: "http://127.0.0.1:\(server.port)/device/v1/requests", headers: [("Accept", "text/event-stream"), ("Authorization", "Bearer t")])
        var parser = EventStreamParser()
        var events: [ServerSentEvent] = []
        while true {
            let bytes = try stream.read()
            if bytes.isEmpty { break }
            events += try parser.feed(bytes)
        }
        server.done.wait()
        #expect(events == [ServerSentEvent(name: "request", data: #"{"request_id":"r1"}"#)])
        #expect(server.requestHead.hasPrefix("GET /device/v1/requests HTTP/1.0\r\nHost: 127.0.0.1:\(server.port)\r\n"))
        #expect(server.requestHead.contains("Authorization: Bearer t\r\n"))
    }

    @Test("a refusal carries the broker's error; a wrong content type is refused")
    func refusal() throws {
        let refusing = try OneShotServer(pieces: [
            "HTTP/1.0 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{\"error\":\"invalid_token\"}",
        ])
        #expect(throws: DeviceError.refused(status: 401, error: "invalid_token", description: nil)) {
            _ = try LoopbackEventStreams().open(url: "http://127.0.0.1:\(refusing.port)/", headers: [])
        }
        refusing.done.wait()
        let html = try OneShotServer(pieces: ["HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<p>"])
        #expect(throws: DeviceError.self) { _ = try LoopbackEventStreams().open(url: "http://127.0.0.1:\(html.port)/", headers: []) }
        html.done.wait()
    }
}

/// A one-connection server on 127.0.0.1 that records the request head and writes `pieces`
/// with pauses, then closes.
final class OneShotServer: @unchecked Sendable {
    // @unchecked: `requestHead` is written by the server thread before `done` is signalled
    // and read by the test only after waiting on it.
    let listener: Int32
    let port: UInt16
    var requestHead = ""
    let done = DispatchSemaphore(value: 0)

    init(pieces: [String]) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { throw DeviceError.streamDropped("test server") }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in
            let peer = accept(listener, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 4096)
            var head: [UInt8] = []
            while head.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
                let count = recv(peer, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                head += buffer.prefix(count)
            }
            requestHead = String(decoding: head, as: UTF8.self)
            for piece in pieces {
                _ = piece.utf8CString.withUnsafeBufferPointer { send(peer, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
                usleep(5_000)
            }
            close(peer)
            done.signal()
        }
    }

    deinit { close(listener) }
}
