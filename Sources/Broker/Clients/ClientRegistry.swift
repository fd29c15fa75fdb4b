import Foundation
import JOSE
import JSON

/// Where the broker looks clients up. Clients from `Metadata/clients/` are loaded at start;
/// dynamically registered ones (RFC 7591, a later issue) join through the same lookup.
public final class ClientRegistry: @unchecked Sendable {
    private let lock = NSLock()   // guards `clients`
    private var clients: [String: Client]

    public init(_ clients: [Client] = []) {
        self.clients = Dictionary(clients.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // dynamic client registration: clients of `/register`, looked up after the files' clients.
    private var registered: RegisteredClients?

    /// The enabled client with this id, or nil. Clients from `Metadata/clients/` come first;
    /// registered clients are read through from the store (see `RegisteredClients`).
    public func client(id: String) -> Client? {
        let (file, registered) = lock.withLock { (clients[id], self.registered) }
        if let file { return file.disabled ? nil : file }
        return registered?.client(id: id)
    }

    /// Serves the clients of `/register` from `store` too. Called once by `Broker`.
    func attachRegisteredClients(_ source: RegisteredClients) { lock.withLock { registered = source } }

    /// Whether `id` is a client of a metadata file (such a client cannot be managed through RFC 7592).
    public func isFileClient(_ id: String) -> Bool { lock.withLock { clients[id] != nil } }

    /// The keys of `client` for checking its signatures (`private_key_jwt`): its inline `jwks`, or
    /// the set at its `jwks_uri` (cached; refetched when `kid` is unknown).
    func keys(for client: Client, kid: String?) throws(OAuthError) -> JWKSet {
        if let jwks = client.jwks { return jwks }
        guard let uri = client.jwksURI, let remote = lock.withLock({ registered?.remote }) else {
            throw .invalidClient("the client's keys are not available", debug: "\(client.id) has no jwks and no key source")
        }
        do {
            return try remote.keySet(uri, kid: kid)
        } catch {
            throw .invalidClient("the client's keys are not available", debug: "\(client.id) jwks_uri \(error)")
        }
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
