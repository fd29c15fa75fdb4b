import Foundation
import JSON

/// One version of the terms of service, in Thai and English.
public struct Terms: Sendable, Equatable {
    public let version: String
    public let textTH: String
    public let textEN: String

    public init(version: String, textTH: String, textEN: String) {
        self.version = version
        self.textTH = textTH
        self.textEN = textEN
    }
}

/// The terms of service from `Metadata/terms/*.json`, each `{"version", "text": {"th", "en"}}`.
/// The current version is the greatest version string, so versions are named to sort
/// (for example `2026-11-01`).
public struct TermsCatalog: Sendable {
    public let versions: [String: Terms]
    public let current: Terms

    public init(current: Terms, others: [Terms] = []) {
        var all = Dictionary(uniqueKeysWithValues: others.map { ($0.version, $0) })
        all[current.version] = current
        self.versions = all
        self.current = current
    }

    /// Loads every file of `directory`; a malformed file stops start-up, naming file and field.
    public static func load(directory: String) throws -> TermsCatalog {
        var all: [Terms] = []
        for (path, document) in try MetadataFiles.documents(in: directory) {
            guard let version = document["version"]?.stringValue, !version.isEmpty, version.count <= 64 else {
                throw MetadataError(file: path, field: "version", message: "must be a non-empty string")
            }
            guard let th = document["text"]?["th"]?.stringValue, !th.isEmpty else {
                throw MetadataError(file: path, field: "text.th", message: "must be a non-empty string")
            }
            guard let en = document["text"]?["en"]?.stringValue, !en.isEmpty else {
                throw MetadataError(file: path, field: "text.en", message: "must be a non-empty string")
            }
            all.append(Terms(version: version, textTH: th, textEN: en))
        }
        guard let newest = all.max(by: { $0.version < $1.version }) else {
            throw MetadataError(file: directory, field: nil, message: "no terms of service (*.json) found")
        }
        return TermsCatalog(current: newest, others: all)
    }
}
