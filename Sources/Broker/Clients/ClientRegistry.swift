import Foundation
import JSON

/// Where the broker looks clients up. Clients from `Metadata/clients/` are loaded at start;
/// dynamically registered ones (RFC 7591, a later issue) join through the same lookup.
public final class ClientRegistry: @unchecked Sendable {
    private let lock = NSLock()   // guards `clients`
    private var clients: [String: Client]

    public init(_ clients: [Client] = []) {
        self.clients = Dictionary(clients.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The enabled client with this id, or nil.
    public func client(id: String) -> Client? {
        lock.withLock { clients[id] }.flatMap { $0.disabled ? nil : $0 }
    }

    public var all: [Client] { lock.withLock { Array(clients.values) }.sorted { $0.id < $1.id } }

    public func add(_ client: Client) { lock.withLock { clients[client.id] = client } }

    /// Loads every `*.json` of `directory` through the validator. A file that fails stops
    /// start-up with a `MetadataError` naming the file and the field.
    public static func load(directory: String, validator: ClientMetadataValidator) throws -> ClientRegistry {
        var loaded: [Client] = []
        for (path, document) in try MetadataFiles.documents(in: directory) {
            do {
                let client = try validator.validateFile(document)
                guard !loaded.contains(where: { $0.id == client.id }) else {
                    throw MetadataError(file: path, field: "client_id", message: "\(client.id) is defined twice")
                }
                loaded.append(client)
            } catch let error as OAuthError {
                throw MetadataError(file: path, field: nil, message: error.errorDescription)
            }
        }
        return ClientRegistry(loaded)
    }
}
