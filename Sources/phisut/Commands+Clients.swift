import Broker
import Foundation
import JSON

extension Commands {
    // MARK: clients (dynamic client registration)

    static func clients(_ words: [String]) throws {
        let args = try Arguments(words, valued: ["db", "partner", "metadata"])
        let sub = args.positional.first
        if args.has("help") || sub == nil {
            say("""
                usage: phisut clients list [--partner ID] [--metadata DIR] [--db PATH]
                       phisut clients show ID [--db PATH]
                       phisut clients disable ID [--db PATH]
                `list` shows the clients of DIR/clients (default ./Metadata) and those registered
                through /register, each with the partner that registered it. `disable` stops a
                registered client at once and revokes its grants; its partner cannot re-enable it.
                """)
            if sub == nil && !args.has("help") { throw CLIError("clients needs a subcommand: list, show or disable") }
            return
        }
        let broker = try offlineBrokerWithFileClients(args)
        switch sub {
        case "list":
            for client in try broker.registration.list(partnerID: args["partner"]) {
                say("\(client.id)\t\(client.partnerID ?? "(metadata file)")\t\(client.disabled ? "disabled" : "active")\t\(client.name)")
            }
        case "show":
            guard args.positional.count == 2 else { throw CLIError("usage: phisut clients show ID") }
            let record = try broker.registration.record(clientID: args.positional[1])
            say("client \(record.id), partner \(record.partnerID), \(record.disabledAt == nil ? "active" : "disabled"), "
                + "registered \(record.createdAt), updated \(record.updatedAt)")
            let metadata = (try? JSONValue(parsing: Array(record.metadata.utf8)))?.serialized() ?? Array(record.metadata.utf8)
            say(String(decoding: metadata, as: UTF8.self))
        case "disable":
            guard args.positional.count == 2 else { throw CLIError("usage: phisut clients disable ID") }
            try broker.registration.disable(clientID: args.positional[1])
            say("client \(args.positional[1]) disabled; its grants are revoked")
        default:
            throw CLIError("unknown clients subcommand '\(sub ?? "")'")
        }
    }

    /// An offline broker that also knows the clients of the metadata folder (listed, and named
    /// when someone tries to manage them here).
    static func offlineBrokerWithFileClients(_ args: Arguments) throws -> Broker {
        let metadata = args["metadata"] ?? defaultMetadata
        let configuration = offlineConfiguration(metadata: metadata)
        let registry: ClientRegistry
        do {
            registry = try ClientRegistry.load(directory: metadata + "/clients", validator: configuration.clientValidator)
        } catch {
            throw CLIError("invalid metadata: \(error)", usage: false)
        }
        return try offlineBroker(args, configuration: configuration, clients: registry)
    }
}
