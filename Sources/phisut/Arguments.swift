/// A minimal, strict command-line parser: `--name value` options and positional words.
/// Unknown options are errors, so a typo never silently falls back to a default.
struct Arguments {
    private(set) var positional: [String] = []
    private var options: [String: String] = [:]
    private var flags: Set<String> = []

    /// - Parameters:
    ///   - valued: options that take a value.
    ///   - switches: options that stand alone.
    init(_ words: [String], valued: Set<String>, switches: Set<String> = ["help"]) throws(CLIError) {
        var index = 0
        while index < words.count {
            let word = words[index]
            if word == "-h" {
                flags.insert("help")
            } else if word.hasPrefix("--") {
                var name = String(word.dropFirst(2))
                var value: String?
                if let equals = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                if switches.contains(name), value == nil {
                    flags.insert(name)
                } else if valued.contains(name) {
                    if value == nil {
                        index += 1
                        guard index < words.count else { throw CLIError("option --\(name) needs a value") }
                        value = words[index]
                    }
                    guard options[name] == nil else { throw CLIError("option --\(name) given twice") }
                    options[name] = value
                } else {
                    throw CLIError("unknown option --\(name)")
                }
            } else {
                positional.append(word)
            }
            index += 1
        }
    }

    subscript(option: String) -> String? { options[option] }
    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func required(_ option: String) throws(CLIError) -> String {
        guard let value = options[option], !value.isEmpty else { throw CLIError("missing --\(option)") }
        return value
    }

    func integer(_ option: String) throws(CLIError) -> Int? {
        guard let text = options[option] else { return nil }
        guard let value = Int(text) else { throw CLIError("--\(option) must be an integer") }
        return value
    }
}

/// A command-line failure: printed as one line on stderr, exit status 1 (2 for usage).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    let usage: Bool
    init(_ description: String, usage: Bool = true) {
        self.description = description
        self.usage = usage
    }
}
