import Foundation
import HTTPClient
import JSON
import LoginKit

/// `phisut-bench login`: whole logins per second end to end, driven from outside like real
/// users: `--citizens` citizens are enrolled first, each with a simulated phone (its own P-256
/// key); then `--concurrency` threads each play browsers (a fresh cookie jar per login, so no
/// single sign-on) through authorize → login page → push → the device approves with the number
/// → continue → consent (the first time per citizen) → token → userinfo, with the
/// `queue-online` public client (PKCE). A citizen is only ever in one login at a time.
/// Prints logins/s and p50/p99 per step.
enum LoginBench {
    struct Options {
        var url = "http://127.0.0.1:8080"
        var officerToken = ""
        var citizens = 200
        var logins = 2000
        var concurrency = 12
    }

    /// Timings of one thread, merged after all threads finished.
    struct Samples {
        var steps: [String: [Double]] = [:]
        var failures: [String] = []
        var completed = 0

        mutating func add(_ step: String, _ seconds: Double) { steps[step, default: []].append(seconds) }

        mutating func merge(_ other: Samples) {
            for (step, values) in other.steps { steps[step, default: []] += values }
            failures += other.failures
            completed += other.completed
        }
    }

    static let stepOrder = ["authorize", "login", "push", "approve", "continue", "consent", "token", "userinfo", "whole login"]

    static func run(arguments: [String]) {
        let options: Options
        do { options = try parse(arguments) } catch {
            Console.error("phisut-bench login: \(error)")
            Console.error("usage: phisut-bench login --url URL --officer-token T [--citizens N] [--logins N] [--concurrency N]")
            exit(2)
        }
        do {
            let provider = try OpenIDProvider.discover(issuer: options.url, client: .loopback())
            let enrollStart = Date()
            let devices = try enroll(options)
            Console.line(String(format: "enrolled %d citizens with simulated phones in %.1f s", devices.count, Date().timeIntervalSince(enrollStart)))
            let started = Date()
            let samples = drive(options, provider: provider, devices: devices)
            report(samples, seconds: Date().timeIntervalSince(started), options: options)
            exit(samples.failures.isEmpty ? 0 : 1)
        } catch {
            Console.error("phisut-bench login: \(error)")
            exit(1)
        }
    }

    static func parse(_ arguments: [String]) throws(LoginKitError) -> Options {
        let parsed = try CommandLineOptions(arguments)
        var options = Options()
        options.url = parsed.value("url").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? options.url
        options.officerToken = try parsed.required("officer-token")
        options.citizens = try parsed.integer("citizens", default: options.citizens)
        options.logins = try parsed.integer("logins", default: options.logins)
        options.concurrency = try parsed.integer("concurrency", default: options.concurrency)
        guard options.citizens >= options.concurrency else { throw .usage("--citizens must be at least --concurrency") }
        return options
    }

    /// A checksum-valid citizen ID (the 13th digit per the DOPA rule), distinct per run and index.
    static func citizenID(run: Int, index: Int) -> String {
        let first12 = "5" + String(format: "%05d%06d", run % 100_000, index)
        let digits = first12.compactMap { $0.wholeNumberValue }
        let sum = digits.enumerated().reduce(0) { $0 + $1.element * (13 - $1.offset) }
        return first12 + String((11 - sum % 11) % 10)
    }

    /// Enrolls every citizen (officer API, then the simulated phone), `concurrency` at a time.
    static func enroll(_ options: Options) throws -> [SimulatedDevice] {
        let run = Int(Date().timeIntervalSince1970) % 100_000
        let results = Results<SimulatedDevice>(count: options.citizens)
        inParallel(threads: options.concurrency) { thread in
            let client = HTTPClient.loopback(timeout: 60)
            for index in stride(from: thread, to: options.citizens, by: options.concurrency) {
                results.set(index) { () throws -> SimulatedDevice in
                    let citizen = citizenID(run: run, index: index)
                    let body: JSONValue = [
                        "citizen_id": .string(citizen), "given_name": ["th": "ทดสอบ", "en": "Load"],
                        "family_name": ["th": .string("คนที่ \(index)"), "en": .string("Tester \(index)")], "birthdate": "1990-01-01",
                    ]
                    let ticket = try client.callJSON("POST", options.url + "/officer/v1/enrollments",
                                                     headers: [("Authorization", "Bearer " + options.officerToken)], json: body)
                        .object(expecting: 201, step: "officer enrollment")
                    guard let qr = ticket["qr_payload"]?.stringValue else { throw LoginKitError.validation("no qr_payload") }
                    return try SimulatedDevice.enroll(qrPayload: qr, citizenID: citizen, client: client)
                }
            }
        }
        return try results.all()
    }

    /// Thread `t` owns the citizens `t, t + concurrency, …` and cycles through them.
    static func drive(_ options: Options, provider: OpenIDProvider, devices: [SimulatedDevice]) -> Samples {
        let merged = Results<Samples>(count: options.concurrency)
        let registration = ClientRegistration(clientID: "queue-online", redirectURI: "http://127.0.0.1/callback",
                                              scope: "openid profile", authentication: .none, idTokenAlgorithm: .es256)
        inParallel(threads: options.concurrency) { thread in
            let client = HTTPClient.loopback(timeout: 60)
            let rp = RelyingParty(provider: provider, registration: registration, client: client)
            let mine = Array(stride(from: thread, to: devices.count, by: options.concurrency))
            let share = options.logins / options.concurrency + (thread < options.logins % options.concurrency ? 1 : 0)
            var samples = Samples()
            for round in 0..<share {
                let device = devices[mine[round % mine.count]]
                do {
                    try oneLogin(rp: rp, device: device, client: client, samples: &samples)
                    samples.completed += 1
                } catch {
                    samples.failures.append("\(error)")
                }
            }
            merged.set(thread) { samples }
        }
        var total = Samples()
        for part in (try? merged.all()) ?? [] { total.merge(part) }
        return total
    }

    static func oneLogin(rp: RelyingParty, device: SimulatedDevice, client: HTTPClient, samples: inout Samples) throws {
        let begin = Date()
        let session = AuthorizationSession(redirectURI: "http://127.0.0.1:49999/callback")
        var login = ScriptedLogin(browser: BrowserAgent(client: client), device: device, client: client)
        var steps: [(String, Double)] = []
        login.onStep = { step, seconds, _ in steps.append((step.rawValue, seconds)) }
        let callback = try login.run(authorizationURL: rp.authorizationURL(session), redirectPrefix: session.redirectURI)
        var mark = Date()
        let tokens = try rp.redeem(code: try rp.code(fromCallback: callback, session: session), session: session)
        steps.append(("token", Date().timeIntervalSince(mark)))
        mark = Date()
        _ = try rp.userinfo(accessToken: tokens.accessToken, expectedSubject: nil)
        steps.append(("userinfo", Date().timeIntervalSince(mark)))
        steps.append(("whole login", Date().timeIntervalSince(begin)))
        for (step, seconds) in steps { samples.add(step, seconds) }
    }

    static func report(_ samples: Samples, seconds: Double, options: Options) {
        Console.line(String(format: "\n%d logins in %.1f s with %d concurrent browsers over %d citizens: %.1f logins/s (%d failed)",
                            samples.completed, seconds, options.concurrency, options.citizens,
                            Double(samples.completed) / seconds, samples.failures.count))
        Console.line("step          count     p50 ms    p99 ms")
        for step in stepOrder {
            guard let values = samples.steps[step], !values.isEmpty else { continue }
            let sorted = values.sorted()
            func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
            Console.line(String(format: "%@ %6d  %9.2f %9.2f", step.padding(toLength: 12, withPad: " ", startingAt: 0), sorted.count, percentile(0.50), percentile(0.99)))
        }
        for failure in samples.failures.prefix(5) { Console.error("failure: \(failure)") }
    }

    /// Runs `body(thread)` on `threads` threads and waits for all of them.
    static func inParallel(threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            let worker = Thread {
                body(thread)
                group.leave()
            }
            worker.stackSize = 1 << 20
            worker.start()
        }
        group.wait()
    }
}

/// One slot per index, filled from many threads.
/// `@unchecked Sendable`: `slots` is only touched under `lock`.
final class Results<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ make: () throws -> Value) {
        let result = Result { try make() }
        lock.withLock { slots[index] = result }
    }

    /// Every value, or the first error (a missing slot is a bug of the caller).
    func all() throws -> [Value] {
        try lock.withLock { try slots.map { slot in
            guard let slot else { throw LoginKitError.usage("a worker did not report") }
            return try slot.get()
        } }
    }
}
