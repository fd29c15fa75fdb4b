import Storage
import Testing

/// Dynamically registered clients (RFC 7591 / RFC 7592).
enum RegisteredClientConformance {
    static func client(_ id: String, partner: String = "p1", token: String? = nil) -> RegisteredClientRecord {
        RegisteredClientRecord(
            id: id, partnerID: partner, metadata: #"{"client_name":"\#(id)"}"#, secretHash: nil,
            registrationTokenHash: token ?? "rat-" + id, createdAt: 100, updatedAt: 100)
    }

    static let cases: [ConformanceCase] = [
        ConformanceCase(name: "registered clients: add, list by partner, update, delete, unique token hash") { open in
            let store = try open()
            try store.addRegisteredClient(client("c2", partner: "p2"))
            try store.addRegisteredClient(client("c1"))
            try store.addRegisteredClient(client("c3"))
            #expect(throws: StorageError.alreadyExists) { try store.addRegisteredClient(client("c1", token: "other")) }
            #expect(throws: StorageError.alreadyExists) { try store.addRegisteredClient(client("c9", token: "rat-c1")) }
            #expect(try store.registeredClients().map(\.id) == ["c1", "c2", "c3"])
            #expect(try store.registeredClients(partnerID: "p1").map(\.id) == ["c1", "c3"])
            let updated = try store.updateRegisteredClient(id: "c1") {
                $0.registrationTokenHash = "rat-c1-rotated"
                $0.updatedAt = 200
            }
            #expect(updated.updatedAt == 200)
            #expect(try store.registeredClient(id: "c1").registrationTokenHash == "rat-c1-rotated")
            #expect(throws: StorageError.alreadyExists) {
                try store.updateRegisteredClient(id: "c3") { $0.registrationTokenHash = "rat-c1-rotated" }
            }
            try store.deleteRegisteredClient(id: "c1")
            #expect(throws: StorageError.notFound) { try store.registeredClient(id: "c1") }
            #expect(throws: StorageError.notFound) { try store.deleteRegisteredClient(id: "c1") }
            #expect(throws: StorageError.notFound) { try store.updateRegisteredClient(id: "c1") { $0.updatedAt = 1 } }
        },
    ]
}
