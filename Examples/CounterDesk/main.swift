// counter-desk: a CIBA client at a service counter (see CounterDesk.swift).
import Foundation
import HTTPClient
import JOSE
import JSON
import LoginKit

let usage = """
    usage: counter-desk --citizen-id ID --binding-message TEXT [--mode poll|ping] [--issuer URL]
                        [--client-id ID] [--key FILE] [--id-token-alg ALG] [--scope SCOPE] [--notify-port N]
                        [--notify-path PATH]
      Asks the broker (default http://127.0.0.1:8080) to sign the citizen in on their phone (CIBA),
      then prints the citizen's name from userinfo.
      --mode         poll (default): poll /token at the broker's interval; ping: wait for the broker's
                     notification on http://127.0.0.1:<notify-port><notify-path> (default 8095, /ciba/notify,
                     which must be the client's registered backchannel_client_notification_endpoint)
      --client-id    default counter-desk (poll) or counter-desk-ping (ping): the delivery mode is registered
      --key          the client's private JWK (default Examples/CounterDesk/counter-desk-test-key.json)
      --id-token-alg the registered id_token_signed_response_alg (default ES256); others are refused
    """

func run() throws -> Int32 {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "--help" || arguments.first == "-h" {
        Console.line(usage)
        return 0
    }
    let options = try CommandLineOptions(arguments)
    guard options.positional.isEmpty else { throw LoginKitError.usage("unexpected \(options.positional[0])\n" + usage) }
    let citizenID = try options.required("citizen-id")
    let bindingMessage = try options.required("binding-message")
    guard let mode = CounterDesk.Mode(rawValue: options.value("mode") ?? "poll") else {
        throw LoginKitError.usage("--mode is poll or ping")
    }
    let keyPath = options.value("key") ?? "Examples/CounterDesk/counter-desk-test-key.json"
    guard let keyText = FileManager.default.contents(atPath: keyPath).map({ String(decoding: $0, as: UTF8.self) }) else {
        throw LoginKitError.usage("cannot read the client key \(keyPath)")
    }
    guard let idTokenAlgorithm = JWSAlgorithm(rawValue: options.value("id-token-alg") ?? "ES256") else {
        throw LoginKitError.usage("--id-token-alg must be a JWS algorithm such as ES256 or RS256")
    }
    let desk = try CounterDesk(issuer: options.value("issuer") ?? "http://127.0.0.1:8080",
                               clientID: options.value("client-id") ?? (mode == .ping ? "counter-desk-ping" : "counter-desk"), key: try JWK(jsonText: keyText),
                               idTokenAlgorithm: idTokenAlgorithm, client: HTTPClient.loopback(timeout: 15)) { Console.line($0) }
    var ping: PingReceiver?
    if mode == .ping {
        ping = try PingReceiver(port: try options.integer("notify-port", default: 8095), path: options.value("notify-path") ?? "/ciba/notify")
    }
    defer { ping?.stop() }
    let outcome = try desk.signIn(citizenID: citizenID, bindingMessage: bindingMessage, scope: options.value("scope") ?? "openid profile",
                                  mode: mode, ping: ping)
    let info = outcome.userinfo
    let name = info["name"]?.stringValue
        ?? [info["given_name"]?.stringValue, info["family_name"]?.stringValue].compactMap { $0 }.joined(separator: " ")
    Console.line("signed in: \(name.isEmpty ? "(no name released)" : name) (sub \(outcome.claims["sub"]?.stringValue ?? "?"), acr \(outcome.claims["acr"]?.stringValue ?? "?"))")
    return 0
}

do {
    exit(try run())
} catch {
    Console.error("counter-desk: \(error)")
    exit(1)
}
