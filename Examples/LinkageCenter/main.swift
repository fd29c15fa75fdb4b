// linkage-center: the confidential web-client pilot (see LinkageCenter.swift).
import Foundation
import HTTP
import HTTPClient
import JOSE
import LoginKit

let usage = """
    usage: linkage-center [--issuer URL] [--key FILE] [--once] [--drive CITIZEN_ID --device-key FILE]
      Serves http://127.0.0.1:8090 (the registered redirect is http://127.0.0.1:8090/callback).
      --key     the client's private JWK (default Examples/LinkageCenter/linkage-center-test-key.json)
      --once    exit after one callback (with --drive: after the scripted visit); status 1 if it failed
      --drive   a scripted browser signs CITIZEN_ID in, a simulated device (FILE) approving
    """

func run() throws -> Int32 {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "--help" || arguments.first == "-h" {
        Console.line(usage)
        return 0
    }
    let options = try CommandLineOptions(arguments, flagNames: ["once"])
    let keyPath = options.value("key") ?? "Examples/LinkageCenter/linkage-center-test-key.json"
    guard let keyText = FileManager.default.contents(atPath: keyPath).map({ String(decoding: $0, as: UTF8.self) }) else {
        throw LoginKitError.usage("cannot read the client key \(keyPath)")
    }
    let key = try JWK(jsonText: keyText)
    let client = HTTPClient.loopback()
    let app = try LinkageCenter(issuer: options.value("issuer") ?? "http://127.0.0.1:8080", key: key, client: client) { Console.line($0) }
    var device: SimulatedDevice?
    if let citizenID = options.value("drive") {
        device = try SimulatedDevice.load(from: try options.required("device-key"))
        guard device?.citizenID == citizenID else { throw LoginKitError.usage("the device file belongs to another citizen") }
    }

    let router = Router()
    app.register(on: router)
    let server = HTTPServer(configuration: .exampleApp(port: 8090, workerThreads: 4), router: router)
    _ = try server.start()
    Console.line("linkage-center listening on \(LinkageCenter.base) (client \(LinkageCenter.clientID), broker \(app.rp.provider.issuer))")

    var status: Int32 = 0
    if let device {
        do { try app.drive(device: device, client: client) } catch {
            Console.error("linkage-center: \(error)")
            status = 1
        }
        if options.flags.contains("once") {
            server.shutdown()
            server.waitUntilShutdown()
            return status
        }
    } else if options.flags.contains("once") {
        app.waitForCallback()
        usleep(200_000)   // let the callback page reach the browser before the listener closes
        server.shutdown()
        server.waitUntilShutdown()
        return app.failedCallbacks == 0 ? 0 : 1
    }
    server.installSignalHandlers()
    server.waitUntilShutdown()
    return status
}

do {
    exit(try run())
} catch {
    Console.error("linkage-center: \(error)")
    exit(1)
}
