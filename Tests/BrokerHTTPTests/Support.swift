import Foundation
import HTTP
import HTTPClient
import JOSE
import JSON
import Storage
@testable import Broker
@testable import BrokerHTTP

/// How an endpoint test reaches the broker: the same test body runs in-process (the router
/// called directly) and over a real socket (the HTTP server on loopback, through libcurl).
enum Transport: String, CaseIterable, Sendable, CustomStringConvertible {
    case inProcess, live
    var description: String { rawValue }
}

struct Reply {
    let status: Int
    let headers: [(String, String)]
    let body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A broker with its routes, reachable through either transport.
final class TestApp: @unchecked Sendable {
    let broker: Broker
    let router: Router
    let routes: BrokerRoutes
    let transport: Transport
    private var server: HTTPServer?
    private(set) var baseURL = "http://127.0.0.1:8080"
    private let client = HTTPClient(configuration: {
        var c = HTTPClientConfiguration()
        c.policy = .developmentLoopback
        return c
    }())

    /// - Parameters (ciba): `configure` adjusts the broker's configuration; `deliveries` the
    ///   delivery queue's (tests use short backoffs and timeouts).
    init(_ transport: Transport, configure: (inout BrokerConfiguration) -> Void = { _ in },
         deliveries: DeliveriesConfiguration? = nil) throws {
        self.transport = transport
        let directory = NSTemporaryDirectory() + "phisut-http-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory + "/test.sqlite")
        router = Router()
        var port = 8080
        if transport == .live {
            var configuration = HTTPServerConfiguration()
            configuration.port = 0
            configuration.eventLoops = 1
            configuration.workerThreads = 4
            let server = HTTPServer(configuration: configuration, router: router)
            port = try server.start()
            self.server = server
        }
        baseURL = "http://127.0.0.1:\(port)"
        var configuration = BrokerConfiguration(issuer: baseURL, metadataDirectory: directory)
        configuration.signingAlgorithms = [.es256, .edDSA]   // RSA key generation is slow in debug builds
        configure(&configuration)   // ciba
        broker = try Broker(
            configuration: configuration, store: store,
            terms: TermsCatalog(current: Terms(version: "2026-11-01", textTH: "ข้อกำหนด", textEN: "Terms")),
            log: { _ in })
        try broker.prepare()
        routes = BrokerRoutes(broker: broker, log: { _ in }, deliveries: deliveries)
        routes.register(on: router)
    }

    deinit {
        server?.shutdown()
        server?.waitUntilShutdown()
    }

    func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> Reply {
        switch transport {
        case .inProcess:
            let parts = target.split(separator: "?", maxSplits: 1)
            var request = HTTPRequest(
                method: method, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil,
                headers: HTTPHeaders([("Host", "127.0.0.1")] + headers), body: body, remoteAddress: "127.0.0.1")
            request.pathParameters = [:]
            let response = router.handle(request)
            guard case .bytes(let bytes) = response.body else { return Reply(status: response.status, headers: [], body: []) }
            return Reply(status: response.status, headers: response.headers.map { ($0.0, $0.1) }, body: bytes)
        case .live:
            let response = try client.send(OutboundRequest(method: method, url: baseURL + target, headers: headers, body: body))
            return Reply(status: response.status, headers: response.headers, body: response.body)
        }
    }

    func json(_ method: String, _ target: String, _ value: JSONValue, bearer: String? = nil) throws -> Reply {
        var headers = [("Content-Type", "application/json")]
        if let bearer { headers.append(("Authorization", "Bearer \(bearer)")) }
        return try request(method, target, headers: headers, body: value.serialized())
    }

    func officerToken(office: String = "BKK-01") throws -> String {
        try broker.officers.add(name: "Officer", officeCode: office).token
    }
}

enum Citizens {
    static let a = CitizenID.completing("110170020345")!.digits
    static let b = CitizenID.completing("350990012345")!.digits
}

func person(_ id: String) -> JSONValue {
    ["citizen_id": .string(id), "given_name": ["th": "สมหญิง", "en": "Somying"],
     "family_name": ["th": "ใจดี", "en": "Jaidee"], "birthdate": "1990-05-17"]
}
