/// A command line: the command, then `--name value`, `--name=value` or bare `--switch`
/// flags, and as many plain arguments as the command takes. Only the flags the command knows
/// are accepted, each at most once.
struct Arguments: Sendable, Equatable {
    let command: String
    private(set) var values: [String: String] = [:]
    private(set) var switches: Set<String> = []
    /// The plain (non-flag) arguments, in order.
    private(set) var positionals: [String] = []

    /// `valued` flags take a value; `switches` do not; `positional` says how many plain
    /// arguments a command takes at most (none when absent).
    init(_ arguments: [String], valued: [String: Set<String>], switches known: [String: Set<String>],
         positional: [String: Int] = [:]) throws(DeviceError) {
        guard let command = arguments.first else { throw .usage(DeviceApp.usage) }
        guard let valuedFlags = valued[command], let switchFlags = known[command] else {
            throw .usage("unknown command \(command)\n" + DeviceApp.usage)
        }
        self.command = command
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                guard positionals.count < positional[command, default: 0], !argument.hasPrefix("-") else {
                    throw .usage("unexpected argument \(argument)")
                }
                positionals.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if switchFlags.contains(name) {
                guard value == nil else { throw .usage("--\(name) takes no value") }
                guard switches.insert(name).inserted else { throw .usage("--\(name) given twice") }
            } else if valuedFlags.contains(name) {
                if value == nil {
                    guard index < arguments.count else { throw .usage("--\(name) needs a value") }
                    value = arguments[index]
                    index += 1
                }
                guard values[name] == nil else { throw .usage("--\(name) given twice") }
                values[name] = value
            } else {
                throw .usage("\(command) does not take --\(name)")
            }
        }
    }

    subscript(name: String) -> String? { values[name] }

    func has(_ name: String) -> Bool { switches.contains(name) }
}
