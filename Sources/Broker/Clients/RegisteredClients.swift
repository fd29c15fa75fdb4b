import Foundation
import JOSE
import JSON
import Storage

/// The clients of `/register`, as `ClientRegistry` serves them: read through from the store on
/// every lookup, so a change made by another process (`phisut clients disable`, a second broker
/// on the same store) takes effect at once. Only the validation is memoized: a record whose
/// metadata, secret and state are unchanged reuses the `Client` built from it before.
///
/// `@unchecked Sendable`: `memo` is guarded by `lock`.
final class RegisteredClients: @unchecked Sendable {
    let store: any RegisteredClientStore
    let validator: ClientMetadataValidator
    let remote: RemoteMetadata
    let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var memo: [String: (record: RegisteredClientRecord, client: Client)] = [:]

    init(store: any RegisteredClientStore, validator: ClientMetadataValidator, remote: RemoteMetadata,
         log: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.validator = validator
        self.remote = remote
        self.log = log
    }

    /// The enabled registered client with this id, or nil.
    func client(id: String) -> Client? {
        let record: RegisteredClientRecord
        do {
            record = try store.registeredClient(id: id)
        } catch {
            if case StorageError.notFound = error {} else { log("registered client \(id): \(error)") }
            _ = lock.withLock { memo.removeValue(forKey: id) }
            return nil
        }
        guard record.disabledAt == nil else { return nil }
        if let known = lock.withLock({ memo[id] }), known.record.metadata == record.metadata,
           known.record.secretHash == record.secretHash, known.record.partnerID == record.partnerID {
            return known.client
        }
        do {
            let client = try Self.client(from: record, validator: validator)
            lock.withLock { memo[id] = (record, client) }
            return client
        } catch {
            // Metadata that validated at registration but not under today's rules: the client
            // stops working rather than running on rules it no longer meets.
            log("registered client \(id) no longer validates: \(error)")
            return nil
        }
    }

    /// Builds the `Client` of a record through the one validator (no fetching).
    static func client(from record: RegisteredClientRecord, validator: ClientMetadataValidator) throws(OAuthError) -> Client {
        let document: JSONValue
        do { document = try JSONValue(parsing: Array(record.metadata.utf8)) } catch {
            throw .serverError(debug: "stored metadata of \(record.id) is not JSON")
        }
        return try validator.validate(document, clientID: record.id, secretHash: record.secretHash, partnerID: record.partnerID)
    }
}
