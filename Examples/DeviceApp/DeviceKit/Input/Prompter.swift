/// Asks the citizen questions. An answer given on the command line is used first and only
/// once; otherwise lines are read from `input`. A refused answer is explained on the console
/// and asked again, up to `attempts` times; a refused command-line answer fails at once
/// (a script must not silently fall through to stdin).
public struct Prompter {
    public let input: any Input
    public let console: any Console
    /// How many typed answers one question accepts before failing.
    public var attempts: Int

    public init(input: any Input, console: any Console, attempts: Int = 3) {
        self.input = input
        self.console = console
        self.attempts = attempts
    }

    /// Asks `question` until `parse` accepts an answer. `given` is the command-line answer.
    public func ask<T>(_ question: String, given: String? = nil, secret: Bool = false,
                       parse: (String) throws(DeviceError) -> T) throws(DeviceError) -> T {
        if let given { return try parse(given) }
        for _ in 0..<max(1, attempts) {
            console.prompt(question + " ", newline: false)
            guard let line = input.readLine(secret: secret) else {
                console.prompt("")
                throw .noAnswer(question)
            }
            do {
                return try parse(line)
            } catch {
                console.prompt(error.description)
            }
        }
        throw .noAnswer(question)
    }

    /// A yes/no question: "y", "yes" (any case) is yes, "n", "no" is no, anything else is
    /// asked again.
    public func confirm(_ question: String, given: Bool? = nil) throws(DeviceError) -> Bool {
        if let given { return given }
        return try ask(question + " [yes/no]") { (answer: String) throws(DeviceError) -> Bool in
            switch answer.trimmingSpaces.lowercased() {
            case "y", "yes": return true
            case "n", "no": return false
            default: throw .usage("answer yes or no")
            }
        }
    }
}

extension Prompter {
    /// Enrollment steps 6 and 7 (DESIGN.md): a passcode entered twice, both equal, then once
    /// more to confirm. Command-line answers: `first` for all three unless `again`/`confirm`
    /// are given; a mismatch among them fails at once, a typed mismatch is asked again.
    public func choosePasscode(first: String?, again: String?, confirm: String?) throws(DeviceError) -> Passcode {
        var chosen: Passcode?
        for round in 0..<max(1, attempts) {
            let fromFlags = round == 0 ? first : nil
            let againFromFlags = round == 0 ? (again ?? first) : nil
            let entry = try ask("Choose a 6-digit passcode:", given: fromFlags, secret: true, parse: Passcode.init)
            let repeated = try ask("Enter the passcode again:", given: againFromFlags, secret: true, parse: Passcode.init)
            if entry == repeated {
                chosen = entry
                break
            }
            if fromFlags != nil || againFromFlags != nil { throw .passcodeMismatch }
            console.prompt(DeviceError.passcodeMismatch.description + "; start again")
        }
        guard let chosen else { throw .passcodeMismatch }
        let confirmFromFlags = confirm ?? first
        _ = try ask("Confirm with your passcode to bind this device:", given: confirmFromFlags, secret: true) {
            (answer: String) throws(DeviceError) -> Passcode in
            let typed = try Passcode(answer)
            guard typed == chosen else { throw .passcodeMismatch }
            return typed
        }
        return chosen
    }
}
