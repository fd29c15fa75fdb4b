import HTTPClient
import Glibc
import JOSE
import JSON

/// The `phisut-device` program, with everything it touches injected so tests can run it
/// without a terminal, a network or a real clock.
public struct DeviceApp {
    public var input: any Input
    public var console: any Console
    /// Carries requests to whichever broker an enrollment names.
    public var transport: any BrokerTransport
    public var environment: [String: String]
    /// Seconds since 1970.
    public var now: () -> Int64
    /// How the passcode is stretched; tests may pick a cheaper one.
    public var kdf: PasscodeKDF
    /// Opens the request stream for `listen`.
    public var eventStreams: any EventStreamTransport
    /// Waits between reconnections of `listen` (seconds); tests record instead of waiting.
    public var sleep: (Double) -> Void

    public init(input: any Input, console: any Console, transport: any BrokerTransport,
                environment: [String: String], now: @escaping () -> Int64 = { Int64(time(nil)) },
                kdf: PasscodeKDF = .recommended, eventStreams: any EventStreamTransport = LoopbackEventStreams(),
                sleep: @escaping (Double) -> Void = { seconds in usleep(UInt32(min(max(seconds, 0), 60) * 1_000_000)) }) {
        self.input = input
        self.console = console
        self.transport = transport
        self.environment = environment
        self.now = now
        self.kdf = kdf
        self.eventStreams = eventStreams
        self.sleep = sleep
    }

    public static let usage = """
        usage: phisut-device enroll --qr PAYLOAD [--citizen-id ID] [--accept-terms] [--passcode P]
                                    [--passcode-again P] [--passcode-confirm P] [--key-type p256|ed25519]
                                    [--device-name NAME] [--push-url URL] [--state PATH]
               phisut-device devices  [--state PATH]
               phisut-device revoke   [--state PATH] [--device ID] [--passcode P]
               phisut-device requests [--state PATH] [--device ID] [--passcode P]
               phisut-device listen   [--state PATH] [--device ID] [--passcode P] [--auto approve|deny]
                                      [--number NN] [--exit-after N]
               phisut-device approve  REQUEST_ID [--number NN] [--state PATH] [--device ID] [--passcode P]
               phisut-device deny     REQUEST_ID [--state PATH] [--device ID] [--passcode P]
        """

    static let valuedFlags: [String: Set<String>] = [
        "enroll": ["qr", "citizen-id", "passcode", "passcode-again", "passcode-confirm", "key-type", "device-name",
                   "push-url", "state"],
        "devices": ["state"],
        "revoke": ["state", "device", "passcode"],
        "requests": ["state", "device", "passcode"],
        "listen": ["state", "device", "passcode", "auto", "number", "exit-after"],
        "approve": ["state", "device", "passcode", "number"],
        "deny": ["state", "device", "passcode"],
    ]
    static let switchFlags: [String: Set<String>] = [
        "enroll": ["accept-terms"], "devices": [], "revoke": [], "requests": [], "listen": [], "approve": [], "deny": [],
    ]
    static let positionalCounts: [String: Int] = ["approve": 1, "deny": 1]

    /// Runs one command and returns the exit status: 0 success, 1 failure, 2 bad usage. A
    /// failure is one `error: …` line on stderr.
    public func run(_ arguments: [String]) -> Int32 {
        if let first = arguments.first, ["help", "--help", "-h"].contains(first) {
            console.output(Self.usage)
            return 0
        }
        do {
            let parsed = try Arguments(arguments, valued: Self.valuedFlags, switches: Self.switchFlags,
                                       positional: Self.positionalCounts)
            switch parsed.command {
            case "enroll": try enroll(parsed)
            case "devices": try devices(parsed)
            case "revoke": try revoke(parsed)
            case "listen": try listen(parsed)
            case "approve", "deny": try decide(parsed, approve: parsed.command == "approve")
            default: try requests(parsed)
            }
            return 0
        } catch {
            console.prompt("error: " + error.description)
            if case .usage = error { return 2 }
            return 1
        }
    }

    func stateFile(_ arguments: Arguments) throws(DeviceError) -> StateFile {
        if let path = arguments["state"] {
            guard !path.isEmpty else { throw .usage("--state needs a path") }
            return StateFile(path: path)
        }
        return StateFile(path: try StateFile.defaultPath(environment: environment))
    }

    var prompter: Prompter { Prompter(input: input, console: console) }
}

extension DeviceApp {
    /// The real thing: the terminal, stdout/stderr, `HTTPClient.forDevice()`, the process's
    /// `HOME`, the wall clock and the recommended KDF.
    public static func standard() -> DeviceApp {
        var environment: [String: String] = [:]
        if let home = getenv("HOME") { environment["HOME"] = String(cString: home) }
        return DeviceApp(input: StandardInput(), console: StandardConsole(), transport: HTTPClient.forDevice(),
                         environment: environment)
    }
}
