import Foundation
@testable import Storage
import Testing

@Suite("SQLite backend")
struct SQLiteStoreTests {
    @Test("conformance on a WAL database file", arguments: StoreConformance.all)
    func conformance(_ test: ConformanceCase) throws {
        let directory = try TemporaryDirectory()
        try test.run(StoreOpener { try SQLiteStore(path: directory.path + "/phisut.sqlite", migrations: $0) })
    }

    @Test("conformance in memory", arguments: StoreConformance.all.filter { !$0.reopens })
    func conformanceInMemory(_ test: ConformanceCase) throws {
        try test.run(StoreOpener { try SQLiteStore(path: ":memory:", migrations: $0) })
    }

    @Test("a database file is in WAL mode with synchronous=FULL")
    func durabilitySettings() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path + "/phisut.sqlite")
        #expect(try store.executeRaw("PRAGMA journal_mode") == [[.text("wal")]])
        #expect(try store.executeRaw("PRAGMA synchronous") == [[.integer(2)]])
        #expect(try store.executeRaw("PRAGMA foreign_keys") == [[.integer(1)]])
    }

    @Test("an unopenable path is a backend error, not a crash", arguments: ["/nonexistent-dir/x/phisut.sqlite", "/"])
    func unopenable(_ path: String) {
        #expect(throws: StorageError.self) { _ = try SQLiteStore(path: path) }
    }

    @Test("a file that is not a database is refused")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/garbage.sqlite"
        try Data(repeating: 0x42, count: 8_192).write(to: URL(fileURLWithPath: path))
        #expect(throws: StorageError.self) { _ = try SQLiteStore(path: path) }
    }
}

/// A fresh directory under the system temp directory, removed when the value goes.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "phisut-storage-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
