import Broker
import BrokerHTTP
import Foundation
import HTTP
import Storage

enum Commands {
    static let defaultDatabase = "./phisut.sqlite"
    static let defaultMetadata = "./Metadata"

    // MARK: serve

    static func serve(_ words: [String]) throws {
        let args = try Arguments(words, valued: ["host", "port", "issuer", "db", "metadata"])
        if args.has("help") {
            say("""
                usage: phisut serve [--host H] [--port N] [--issuer URL] [--db PATH] [--metadata DIR]
                  --host      address to listen on (default 127.0.0.1)
                  --port      port (default 8080; 0 picks a free one)
                  --issuer    the issuer URL (default http://HOST:PORT)
                  --db        SQLite database (default ./phisut.sqlite)
                  --metadata  metadata folder: clients/, idps/, terms/, federation/ (default ./Metadata)
                Prints `listening on http://H:N` once it accepts connections; SIGTERM/SIGINT stop it gracefully.
                """)
            return
        }
        let host = args["host"] ?? "127.0.0.1"
        guard let port = Int(args["port"] ?? "8080"), (0...65535).contains(port) else {
            throw CLIError("--port must be a number from 0 to 65535")
        }
        let metadata = args["metadata"] ?? defaultMetadata
        let terms: TermsCatalog
        do {
            terms = try TermsCatalog.load(directory: metadata + "/terms")
        } catch let error as MetadataError {
            throw CLIError("invalid metadata: \(error)", usage: false)
        } catch {
            throw CLIError("cannot read \(metadata)/terms: \(error)", usage: false)
        }
        let store = try openStore(args)

        var serverConfiguration = HTTPServerConfiguration()
        serverConfiguration.host = host
        serverConfiguration.port = port
        let router = Router()
        let server = HTTPServer(configuration: serverConfiguration, router: router)
        let boundPort = try server.start()
        server.installSignalHandlers()

        let hostInURL = host.contains(":") ? "[\(host)]" : host
        let issuer = args["issuer"] ?? "http://\(hostInURL):\(boundPort)"
        let broker: Broker
        // federation (issue 7): the outbound client turns the hub on; Metadata/idps is validated below
        var configuration = BrokerConfiguration(issuer: issuer, metadataDirectory: metadata)
        configuration.upstreamHTTP = UpstreamHTTPClient(developmentBroker: configuration.isDevelopment)
        // end federation
        do {
            broker = try Broker(
                configuration: configuration, store: store, terms: terms,
                log: log)
            try broker.prepare()
        } catch {
            server.shutdown()
            throw CLIError("cannot start: \(error)", usage: false)
        }
        BrokerRoutes(broker: broker, log: log).register(on: router)
        Maintenance.start(broker: broker, log: log)

        say("listening on http://\(hostInURL):\(boundPort)")
        log("issuer \(issuer), database \(args["db"] ?? defaultDatabase), terms \(terms.current.version)")
        server.waitUntilShutdown()
        log("stopped")
    }

    // MARK: officers

    static func officers(_ words: [String]) throws {
        let args = try Arguments(words, valued: ["name", "office", "db"])
        let sub = args.positional.first
        if args.has("help") || sub == nil {
            say("""
                usage: phisut officers add --name NAME --office CODE [--db PATH]
                       phisut officers list [--db PATH]
                       phisut officers disable ID [--db PATH]
                The token printed by `add` is shown once; only its hash is stored.
                """)
            if sub == nil && !args.has("help") { throw CLIError("officers needs a subcommand: add, list or disable") }
            return
        }
        let broker = try offlineBroker(args)
        switch sub {
        case "add":
            let (officer, token) = try broker.officers.add(name: try args.required("name"), officeCode: try args.required("office"))
            say("officer \(officer.id) (\(officer.name), office \(officer.officeCode)) created; its bearer token:")
            say(token)
        case "list":
            for officer in try broker.officers.list() {
                say("\(officer.id)\t\(officer.officeCode)\t\(officer.disabledAt == nil ? "active" : "disabled")\t\(officer.name)")
            }
        case "disable":
            guard args.positional.count == 2 else { throw CLIError("usage: phisut officers disable ID") }
            try broker.officers.disable(id: args.positional[1])
            say("officer \(args.positional[1]) disabled")
        default:
            throw CLIError("unknown officers subcommand '\(sub ?? "")'")
        }
    }

    // MARK: partners

    static func partners(_ words: [String]) throws {
        let args = try Arguments(words, valued: ["name", "db", "token-lifetime", "token-uses"])
        let sub = args.positional.first
        if args.has("help") || sub == nil {
            say("""
                usage: phisut partners add --name NAME [--token-lifetime SECONDS] [--token-uses N] [--db PATH]
                       phisut partners list [--db PATH]
                       phisut partners revoke ID [--db PATH]
                `add` prints an initial access token (RFC 7591 §3) for /register, shown once.
                `revoke` revokes every initial access token of the partner and disables it.
                """)
            if sub == nil && !args.has("help") { throw CLIError("partners needs a subcommand: add, list or revoke") }
            return
        }
        let broker = try offlineBroker(args)
        switch sub {
        case "add":
            let (partner, token) = try broker.partners.add(
                name: try args.required("name"), lifetime: try args.integer("token-lifetime").map(Int64.init),
                uses: try args.integer("token-uses"))
            say("partner \(partner.id) (\(partner.name)) created; its initial access token:")
            say(token)
        case "list":
            for partner in try broker.partners.list() {
                // dynamic client registration: the partner's usable initial access tokens
                let now = broker.clock.now
                let usable = try broker.partners.tokens(partnerID: partner.id).count { $0.isUsable(at: now) }
                say("\(partner.id)\t\(partner.disabledAt == nil ? "active" : "disabled")\t\(usable) usable token(s)\t\(partner.name)")
            }
        case "revoke":   // dynamic client registration
            guard args.positional.count == 2 else { throw CLIError("usage: phisut partners revoke ID") }
            try broker.partners.revoke(id: args.positional[1])
            say("partner \(args.positional[1]) disabled; its initial access tokens are revoked")
        default:
            throw CLIError("unknown partners subcommand '\(sub ?? "")'")
        }
    }

    // MARK: keys

    static func keys(_ words: [String]) throws {
        let args = try Arguments(words, valued: ["db"])
        let sub = args.positional.first
        if args.has("help") || sub == nil {
            say("""
                usage: phisut keys rotate [--db PATH]
                       phisut keys list [--db PATH]
                `rotate` makes a new signing key per algorithm; old keys stay in /jwks until tokens
                they signed have expired. A running broker picks the new keys up within a minute.
                """)
            if sub == nil && !args.has("help") { throw CLIError("keys needs a subcommand: rotate or list") }
            return
        }
        let broker = try offlineBroker(args)
        switch sub {
        case "rotate":
            try broker.keys.ensureKeys()
            for kid in try broker.keys.rotate() { say(kid) }
            broker.audit.record("keys.rotated", by: .operatorCLI())
        case "list":
            for key in try broker.store.signingKeys() {
                let state = key.retiredAt == nil ? "active" : "retired"
                say("\(key.id)\t\(key.algorithm)\t\(state)")
            }
        default:
            throw CLIError("unknown keys subcommand '\(sub ?? "")'")
        }
    }

    // MARK: shared

    static func openStore(_ args: Arguments) throws -> SQLiteStore {
        let path = args["db"] ?? defaultDatabase
        do {
            return try SQLiteStore(path: path)
        } catch {
            throw CLIError("cannot open database \(path): \(error)", usage: false)
        }
    }

    /// A broker for operator commands: same store, no server; the issuer and terms do not matter
    /// here. `clients` are the metadata-folder clients it should know (none unless listing them).
    static func offlineBroker(
        _ args: Arguments, configuration: BrokerConfiguration = offlineConfiguration(metadata: defaultMetadata),
        clients: ClientRegistry = ClientRegistry()
    ) throws -> Broker {
        try Broker(
            configuration: configuration, store: try openStore(args),
            terms: TermsCatalog(current: Terms(version: "-", textTH: "-", textEN: "-")), clients: clients, log: log)
    }

    static func offlineConfiguration(metadata: String) -> BrokerConfiguration {
        BrokerConfiguration(issuer: "http://127.0.0.1", metadataDirectory: metadata)
    }

    static let log: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data(("phisut: " + message + "\n").utf8))
    }
}
