/// `--name value` and `--flag` options of the example programs and the benchmark.
public struct CommandLineOptions: Sendable {
    public private(set) var values: [String: String] = [:]
    public private(set) var flags: Set<String> = []
    public private(set) var positional: [String] = []

    /// Parses `arguments`; a name in `flagNames` takes no value, every other `--name` takes one.
    public init(_ arguments: [String], flagNames: Set<String> = []) throws(LoginKitError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { positional.append(argument); continue }
            let name = String(argument.dropFirst(2))
            if flagNames.contains(name) { flags.insert(name); continue }
            guard index < arguments.count else { throw .usage("\(argument) needs a value") }
            values[name] = arguments[index]
            index += 1
        }
    }

    public func value(_ name: String) -> String? { values[name] }

    public func required(_ name: String) throws(LoginKitError) -> String {
        guard let value = values[name] else { throw .usage("--\(name) is required") }
        return value
    }

    public func integer(_ name: String, default fallback: Int) throws(LoginKitError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let number = Int(text), number > 0 else { throw .usage("--\(name) must be a positive integer") }
        return number
    }
}
