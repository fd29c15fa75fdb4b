// A tiny server for Benchmarks/http.sh: the same ~1.5 KB JSON body from an `.inline` route
// (/inline) and a `.worker` route (/worker), and an SSE stream that stays open (/events). Usage: http-bench-server <port> [eventLoops]
import Glibc
import HTTP

let arguments = CommandLine.arguments
var configuration = HTTPServerConfiguration()
configuration.port = arguments.count > 1 ? Int(arguments[1]) ?? 8080 : 8080
if arguments.count > 2, let loops = Int(arguments[2]) { configuration.eventLoops = loops }

let payload = Array(("{\"pad\":\"" + String(repeating: "x", count: 1536 - 11) + "\"}").utf8)

let router = Router()
router.get("/inline", execution: .inline) { _ in .json(200, payload) }
router.get("/worker") { _ in .json(200, payload) }
router.get("/events") { _ in .eventStream { stream in stream.send(event: "ready", data: "{}") } }

let server = HTTPServer(configuration: configuration, router: router)
server.installSignalHandlers()
do {
    let port = try server.start()
    print("listening on \(port)")
} catch {
    print("failed to start: \(error)")
    exit(1)
}
server.waitUntilShutdown()
