import Storage
import Testing

/// `transaction`: all or nothing, savepoints when nested, the bound store only.
enum TransactionConformance {
    struct Abort: Error {}

    static let cases: [ConformanceCase] = [
        ConformanceCase(name: "transaction commits every write and returns the body's value") { open in
            let store = try open()
            let value = try store.transaction { tx in
                try tx.addPartner(Fixture.partner("p1"))
                try tx.addInitialAccessToken(Fixture.token("t1"))
                try tx.appendAudit(Fixture.event("partner.created"))
                return 42
            }
            #expect(value == 42)
            #expect(try store.partner(id: "p1").name == "Partner p1")
            #expect(try store.initialAccessTokens(partnerID: "p1").map(\.id) == ["t1"])
        },
        ConformanceCase(name: "transaction rolls back everything when the body throws") { open in
            let store = try open()
            try store.addOfficer(Fixture.officer("o1"))
            #expect(throws: Abort.self) {
                try store.transaction { tx in
                    try tx.addPartner(Fixture.partner("p1"))
                    try tx.disableOfficer(id: "o1", at: 5)
                    try tx.delete(OfficerRecord.self, id: "o1")
                    try tx.appendAudit(Fixture.event("partner.created"))
                    throw Abort()
                }
            }
            #expect(throws: StorageError.notFound) { try store.partner(id: "p1") }
            #expect(try store.officer(id: "o1").disabledAt == nil)
            #expect(try store.audit(citizenID: nil, limit: 10, beforeSequence: nil).isEmpty)
        },
        ConformanceCase(name: "a storage error inside the body rolls back the earlier writes") { open in
            let store = try open()
            try store.addPartner(Fixture.partner("taken"))
            #expect(throws: StorageError.alreadyExists) {
                try store.transaction { tx in
                    try tx.addPartner(Fixture.partner("new"))
                    try tx.addPartner(Fixture.partner("taken"))
                }
            }
            #expect(throws: StorageError.notFound) { try store.partner(id: "new") }
        },
        ConformanceCase(name: "a failed nested transaction undoes only its own writes") { open in
            let store = try open()
            try store.transaction { tx in
                try tx.addPartner(Fixture.partner("outer"))
                _ = try? tx.transaction { inner in
                    try inner.addPartner(Fixture.partner("inner"))
                    throw Abort()
                }
                try tx.addPartner(Fixture.partner("after"))
            }
            #expect(try store.partners().map(\.id) == ["after", "outer"])
        },
        ConformanceCase(name: "the outer store is refused inside its own write transaction") { open in
            let store = try open()
            #expect(throws: StorageError.self) {
                try store.transaction { _ in try store.addPartner(Fixture.partner("p1")) }
            }
            #expect(throws: StorageError.notFound) { try store.partner(id: "p1") }
        },
        ConformanceCase(name: "the transaction store is refused after its transaction ended") { open in
            let store = try open()
            let escaped = try store.transaction { $0 }
            #expect(throws: StorageError.self) { try escaped.addPartner(Fixture.partner("late")) }
            #expect(throws: StorageError.notFound) { try store.partner(id: "late") }
        },
    ]
}
