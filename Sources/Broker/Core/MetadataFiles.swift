import Foundation
import JSON

/// Reads the JSON files of a `Metadata/` folder, in name order.
enum MetadataFiles {
    /// Every `*.json` of `directory`, parsed; a file that is not JSON stops start-up naming it.
    /// A missing directory holds no documents.
    static func documents(in directory: String) throws -> [(path: String, document: JSONValue)] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { file in
            let path = directory + "/" + file
            do {
                return (path, try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
            } catch {
                throw MetadataError(file: path, field: nil, message: "not valid JSON: \(error)")
            }
        }
    }
}

/// A metadata file that cannot be used; start-up stops with this message.
public struct MetadataError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let field: String?
    public let message: String

    public init(file: String, field: String?, message: String) {
        self.file = file
        self.field = field
        self.message = message
    }

    public var description: String { "\(file)" + (field.map { ": field '\($0)'" } ?? "") + ": \(message)" }
}
