import Foundation
import Testing
@testable import Broker

@Suite("Metadata folder loading")
struct MetadataTests {
    static func folder(_ files: [String: String]) throws -> String {
        let directory = NSTemporaryDirectory() + "phisut-meta-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        return directory
    }

    @Test("the greatest terms version is current")
    func termsCurrent() throws {
        let directory = try Self.folder([
            "2025-01-01.json": #"{"version": "2025-01-01", "text": {"th": "เก่า", "en": "old"}}"#,
            "2026-11-01.json": #"{"version": "2026-11-01", "text": {"th": "ใหม่", "en": "new"}}"#,
        ])
        let catalog = try TermsCatalog.load(directory: directory)
        #expect(catalog.current.version == "2026-11-01")
        #expect(catalog.current.textTH == "ใหม่")
        #expect(catalog.versions.count == 2)
    }

    @Test("a broken terms file stops start-up naming the file and the field", arguments: [
        (#"{"version": "1", "text": {"th": "x"}}"#, "text.en"),
        (#"{"text": {"th": "x", "en": "y"}}"#, "version"),
        (#"{"version": "1", "text": {"th": "x", "en": "y"}"#, "not valid JSON"),
    ])
    func brokenTerms(_ text: String, _ expected: String) throws {
        let directory = try Self.folder(["bad.json": text])
        do {
            _ = try TermsCatalog.load(directory: directory)
            Issue.record("a broken file was accepted")
        } catch let error as MetadataError {
            #expect(error.description.contains("bad.json"))
            #expect(error.description.contains(expected))
        }
    }

    @Test("no terms at all is an error")
    func noTerms() throws {
        #expect(throws: MetadataError.self) { try TermsCatalog.load(directory: try Self.folder([:])) }
    }

    @Test("a client file that is not JSON stops start-up naming it")
    func brokenClient() throws {
        let directory = try Self.folder(["rp.json": "{nope"])
        do {
            _ = try ClientRegistry.load(directory: directory, validator: ClientMetadataValidator(developmentBroker: true, signingAlgorithms: [.es256]))
            Issue.record("accepted")
        } catch let error as MetadataError {
            #expect(error.file.hasSuffix("rp.json"))
        }
    }
}
