import Foundation
import Storage
import Testing

/// The generic `RecordStore` core: create, get, find, count, list, update, delete.
enum RecordCoreConformance {
    static let cases: [ConformanceCase] = [
        ConformanceCase(name: "create then get returns the same record") { open in
            let store = try open()
            let officer = Fixture.officer("o1")
            try store.create(officer)
            #expect(try store.get(OfficerRecord.self, id: "o1") == officer)
        },
        ConformanceCase(name: "get of an unknown id throws notFound") { open in
            let store = try open()
            #expect(throws: StorageError.notFound) { try store.get(OfficerRecord.self, id: "nobody") }
        },
        ConformanceCase(name: "create with a taken id throws alreadyExists and keeps the first") { open in
            let store = try open()
            try store.create(Fixture.officer("o1", token: "t1"))
            #expect(throws: StorageError.alreadyExists) { try store.create(Fixture.officer("o1", token: "t2")) }
            #expect(try store.get(OfficerRecord.self, id: "o1").tokenHash == "t1")
        },
        ConformanceCase(name: "create with a taken unique index value throws alreadyExists") { open in
            let store = try open()
            try store.create(Fixture.officer("o1", token: "same"))
            #expect(throws: StorageError.alreadyExists) { try store.create(Fixture.officer("o2", token: "same")) }
            #expect(throws: StorageError.notFound) { try store.get(OfficerRecord.self, id: "o2") }
        },
        ConformanceCase(name: "a non-unique index allows repeated values") { open in
            let store = try open()
            try store.create(Fixture.device("d1", citizen: "c"))
            try store.create(Fixture.device("d2", citizen: "c"))
            #expect(try store.count(DeviceRecord.self, where: "citizen_id", equals: "c") == 2)
        },
        ConformanceCase(name: "find returns matches ordered by id, at most limit") { open in
            let store = try open()
            for id in ["d3", "d1", "d2"] { try store.create(Fixture.device(id, citizen: "c")) }
            try store.create(Fixture.device("d0", citizen: "other"))
            #expect(try store.find(DeviceRecord.self, where: "citizen_id", equals: "c", limit: 10).map(\.id) == ["d1", "d2", "d3"])
            #expect(try store.find(DeviceRecord.self, where: "citizen_id", equals: "c", limit: 2).map(\.id) == ["d1", "d2"])
            #expect(try store.find(DeviceRecord.self, where: "citizen_id", equals: "c", limit: 0).isEmpty)
            #expect(try store.find(DeviceRecord.self, where: "citizen_id", equals: "none", limit: 10).isEmpty)
        },
        ConformanceCase(name: "find and count refuse an undeclared index instead of building SQL from it") { open in
            let store = try open()
            try store.create(Fixture.device("d1"))
            #expect(throws: StorageError.self) {
                try store.find(DeviceRecord.self, where: "1=1 OR citizen_id", equals: "x", limit: 1)
            }
            #expect(throws: StorageError.self) { try store.count(DeviceRecord.self, where: "name", equals: "x") }
        },
        ConformanceCase(name: "list pages through all records by id") { open in
            let store = try open()
            let ids = (0..<25).map { String(format: "p%02d", $0) }
            for id in ids.shuffled() { try store.create(Fixture.partner(id)) }
            var seen: [String] = []
            var after: String?
            while true {
                let page = try store.list(PartnerRecord.self, after: after, limit: 10)
                seen += page.map(\.id)
                guard let last = page.last else { break }
                after = last.id
            }
            #expect(seen == ids)
            #expect(try store.list(PartnerRecord.self, after: nil, limit: -1).isEmpty)
        },
        ConformanceCase(name: "update stores the change and moves index columns") { open in
            let store = try open()
            try store.create(Fixture.officer("o1", token: "old"))
            let updated = try store.update(OfficerRecord.self, id: "o1") { $0.tokenHash = "new"; $0.name = "Renamed" }
            #expect(updated.tokenHash == "new")
            #expect(try store.get(OfficerRecord.self, id: "o1") == updated)
            #expect(try store.find(OfficerRecord.self, where: "token_hash", equals: "new", limit: 5).map(\.id) == ["o1"])
            #expect(try store.find(OfficerRecord.self, where: "token_hash", equals: "old", limit: 5).isEmpty)
        },
        ConformanceCase(name: "update into a unique clash throws alreadyExists and keeps the old record") { open in
            let store = try open()
            try store.create(Fixture.officer("o1", token: "t1"))
            try store.create(Fixture.officer("o2", token: "t2"))
            #expect(throws: StorageError.alreadyExists) {
                try store.update(OfficerRecord.self, id: "o2") { $0.tokenHash = "t1"; $0.name = "changed" }
            }
            #expect(try store.get(OfficerRecord.self, id: "o2") == Fixture.officer("o2", token: "t2"))
        },
        ConformanceCase(name: "update of an unknown id throws notFound") { open in
            let store = try open()
            #expect(throws: StorageError.notFound) { try store.update(OfficerRecord.self, id: "none") { $0.name = "x" } }
        },
        ConformanceCase(name: "update that changes the id is refused") { open in
            let store = try open()
            try store.create(Fixture.officer("o1"))
            #expect(throws: StorageError.self) { try store.update(OfficerRecord.self, id: "o1") { $0.id = "o2" } }
            #expect(throws: StorageError.notFound) { try store.get(OfficerRecord.self, id: "o2") }
        },
        ConformanceCase(name: "update whose body throws writes nothing and rethrows") { open in
            struct Refused: Error {}
            let store = try open()
            try store.create(Fixture.officer("o1"))
            #expect(throws: Refused.self) {
                try store.update(OfficerRecord.self, id: "o1") { $0.name = "half"; throw Refused() }
            }
            #expect(try store.get(OfficerRecord.self, id: "o1").name == "Officer o1")
        },
        ConformanceCase(name: "delete removes the record; deleting again throws notFound") { open in
            let store = try open()
            try store.create(Fixture.officer("o1"))
            try store.delete(OfficerRecord.self, id: "o1")
            #expect(throws: StorageError.notFound) { try store.get(OfficerRecord.self, id: "o1") }
            #expect(throws: StorageError.notFound) { try store.delete(OfficerRecord.self, id: "o1") }
            try store.create(Fixture.officer("o1"))  // the unique token hash is free again
        },
        ConformanceCase(name: "hostile strings round-trip as ids, index values and data") { open in
            let store = try open()
            let hostile = [
                "'; DROP TABLE officers; --", "quote\"s and 'apostrophes'", "nul\u{0}inside", "", "สวัสดี 👋🏽",
                "?1 $1 %s \\", String(repeating: "x", count: 1_000_000),
            ]
            for (n, text) in hostile.enumerated() {
                let officer = OfficerRecord(id: text, name: text, officeCode: text, tokenHash: "h\(n)" + text, createdAt: Int64(n))
                try store.create(officer)
                #expect(try store.get(OfficerRecord.self, id: text) == officer)
                #expect(try store.officer(tokenHash: "h\(n)" + text) == officer)
            }
            #expect(throws: StorageError.notFound) { try store.get(OfficerRecord.self, id: "nul") }
            #expect(try store.officers().count == hostile.count)
        },
    ]
}
