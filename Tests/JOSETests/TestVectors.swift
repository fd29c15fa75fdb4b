import Foundation
import JOSE
import JSON

/// Loads the checked-in vectors under TestVectors/.
enum TestVectors {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "test vector \(name) not found" }
    }

    static func text(_ name: String) throws -> String {
        let url = Bundle.module.resourceURL?.appendingPathComponent("TestVectors").appendingPathComponent(name)
        guard let url, let data = FileManager.default.contents(atPath: url.path) else { throw Missing(name: name) }
        return String(decoding: data, as: UTF8.self)
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONValue(parsing: try text(name))
    }

    /// `file[path[0]][path[1]]…`
    static func value(_ name: String, _ path: String...) throws -> JSONValue {
        var value = try json(name)
        for key in path {
            guard let next = value[key] else { throw Missing(name: "\(name): \(path.joined(separator: " / "))") }
            value = next
        }
        return value
    }

    static func string(_ name: String, _ path: String...) throws -> String {
        var value = try json(name)
        for key in path {
            guard let next = value[key] else { throw Missing(name: "\(name): \(path.joined(separator: " / "))") }
            value = next
        }
        guard let string = value.stringValue else { throw Missing(name: "\(name): \(path.joined(separator: " / ")) (string)") }
        return string
    }
}

/// Splits a compact JWS into its three base64url parts.
func compactParts(_ compact: String) -> [String] {
    compact.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
}
