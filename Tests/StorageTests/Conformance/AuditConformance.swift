@testable import Storage
import Testing

/// The append-only audit log.
enum AuditConformance {
    static let cases: [ConformanceCase] = [
        ConformanceCase(name: "audit: sequences increase; reads are newest first, filtered and paged") { open in
            let store = try open()
            var sequences: [Int64] = []
            for n in 0..<6 {
                sequences.append(try store.appendAudit(Fixture.event("step.\(n)", citizen: n.isMultiple(of: 2) ? "c1" : "c2", time: Int64(n))))
            }
            #expect(sequences == sequences.sorted() && Set(sequences).count == 6)
            let all = try store.audit(citizenID: nil, limit: 100, beforeSequence: nil)
            #expect(all.map(\.action) == ["step.5", "step.4", "step.3", "step.2", "step.1", "step.0"])
            #expect(all.map(\.sequence) == sequences.reversed())
            var expected = Fixture.event("step.5", citizen: "c2", time: 5)
            expected.sequence = sequences[5]
            #expect(all.first == expected)
            #expect(try store.audit(citizenID: "c1", limit: 100, beforeSequence: nil).map(\.action) == ["step.4", "step.2", "step.0"])
            #expect(try store.audit(citizenID: nil, limit: 2, beforeSequence: sequences[4]).map(\.action) == ["step.3", "step.2"])
            #expect(try store.audit(citizenID: "c2", limit: 10, beforeSequence: sequences[3]).map(\.action) == ["step.1"])
            #expect(try store.audit(citizenID: "nobody", limit: 10, beforeSequence: nil).isEmpty)
            #expect(try store.audit(citizenID: nil, limit: 0, beforeSequence: nil).isEmpty)
        },
        ConformanceCase(name: "audit: optional fields and odd text round-trip") { open in
            let store = try open()
            let event = AuditEvent(
                time: 9, actorType: "system", actorID: "gc", action: "gc.run", outcome: "failure",
                detail: "it's \"quoted\"\u{0} ไทย")
            let sequence = try store.appendAudit(event)
            var expected = event
            expected.sequence = sequence
            #expect(try store.audit(citizenID: nil, limit: 1, beforeSequence: nil) == [expected])
        },
        ConformanceCase(name: "audit: UPDATE and DELETE are refused by the database itself") { open in
            let store = try open()
            try store.appendAudit(Fixture.event("enrollment.started", citizen: "c1"))
            let raw = try #require(store as? any RawSQLAccess)
            #expect(throws: StorageError.self) { try raw.executeRaw("UPDATE audit_events SET outcome = 'failure'") }
            #expect(throws: StorageError.self) { try raw.executeRaw("DELETE FROM audit_events") }
            let events = try store.audit(citizenID: nil, limit: 10, beforeSequence: nil)
            #expect(events.map(\.outcome) == ["success"])
        },
    ]
}
