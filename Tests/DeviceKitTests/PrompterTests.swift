import DeviceKit
import Testing

@Suite("Prompts answered from flags or scripted input")
struct PrompterTests {
    @Test("a scripted answer is read, and a wrong one is asked again")
    func retries() throws {
        let input = ScriptedInput(["12345", "1101700207031", "1101700207030"])
        let console = RecordingConsole()
        let id = try Prompter(input: input, console: console).ask("Citizen ID:", parse: CitizenNumber.init)
        #expect(id.digits == "1101700207030")
        #expect(input.remaining.isEmpty)
        #expect(console.promptText.components(separatedBy: "Citizen ID:").count - 1 == 3)
        #expect(console.outputLines.isEmpty, "prompts go to stderr, never stdout")
    }

    @Test("three wrong answers fail")
    func givesUp() {
        let input = ScriptedInput(["1", "2", "3", "1101700207030"])
        #expect(throws: DeviceError.noAnswer("Citizen ID:")) {
            try Prompter(input: input, console: RecordingConsole()).ask("Citizen ID:", parse: CitizenNumber.init)
        }
        #expect(input.remaining == ["1101700207030"])
    }

    @Test("end of input fails instead of waiting")
    func endOfInput() {
        #expect(throws: DeviceError.noAnswer("Citizen ID:")) {
            try Prompter(input: ScriptedInput([]), console: RecordingConsole()).ask("Citizen ID:", parse: CitizenNumber.init)
        }
    }

    @Test("a flag answer wins and reads nothing; a bad flag answer fails at once")
    func flags() throws {
        let input = ScriptedInput(["1101700207030"])
        let prompter = Prompter(input: input, console: RecordingConsole())
        #expect(try prompter.ask("ID", given: "1101700207030", parse: CitizenNumber.init).digits == "1101700207030")
        #expect(throws: DeviceError.invalidCitizenID) { try prompter.ask("ID", given: "1101700207031", parse: CitizenNumber.init) }
        #expect(input.remaining.count == 1)
    }

    @Test("yes/no answers", arguments: [
        (["yes"], true), (["Y"], true), (["no"], false), (["maybe", "n"], false),
    ])
    func confirm(_ lines: [String], _ expected: Bool) throws {
        #expect(try Prompter(input: ScriptedInput(lines), console: RecordingConsole()).confirm("Accept?") == expected)
    }

    @Test("passcode: typed twice, a mismatch starts again, then confirmed; all read as secret")
    func passcodeScripted() throws {
        let input = ScriptedInput(["111111", "222222", "123456", "123456", "654321", "123456"])
        let console = RecordingConsole()
        let passcode = try Prompter(input: input, console: console).choosePasscode(first: nil, again: nil, confirm: nil)
        #expect(passcode.digits == "123456")
        #expect(input.secretReads == 6)
        #expect(console.promptText.contains("do not match"))
        #expect(!console.promptText.contains("123456"), "a passcode is never echoed")
    }

    @Test("passcode flags", arguments: [
        ("one flag for all three entries", "123456", nil, nil, true),
        ("matching again and confirm", "123456", "123456", "123456", true),
        ("again differs", "123456", "123457", nil, false),
        ("confirm differs", "123456", nil, "654321", false),
    ] as [(String, String, String?, String?, Bool)])
    func passcodeFlags(_ description: String, _ first: String, _ again: String?, _ confirm: String?, _ succeeds: Bool) {
        let input = ScriptedInput(["123456", "123456", "123456"])
        let prompter = Prompter(input: input, console: RecordingConsole())
        if succeeds {
            #expect((try? prompter.choosePasscode(first: first, again: again, confirm: confirm))?.digits == "123456", "\(description)")
        } else {
            #expect(throws: DeviceError.self, "\(description)") { try prompter.choosePasscode(first: first, again: again, confirm: confirm) }
        }
        #expect(input.remaining.count == 3, "flags never fall through to stdin")
    }
}
