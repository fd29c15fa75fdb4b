import Foundation
import HTTPClient
import JSON
import Synchronization

/// `phisut-bench enroll`: the issue-3 load generator. Each enrollment is what a registration
/// office and a citizen's phone do (CONTRACT.md): the officer starts an enrollment for a fresh
/// checksum-valid citizen ID, then the "device" makes a fresh P-256 key, signs a real ES256
/// proof over `{"enrollment_code", "citizen_id", "iat"}` and enrolls with the current terms.
/// `--concurrency` threads each own one `HTTPClient`, so each reuses one keep-alive connection.
/// Prints a two-column table (`name  value`) that Benchmarks/enroll.sh extends.
enum EnrollBench {
    struct Options: Sendable {
        var url = "http://127.0.0.1:8080"
        var officerToken = ""
        var count = 100_000
        var concurrency = 16
        var showErrors = 5
        var progressSeconds = 10.0
    }

    static func run(arguments: [String]) {
        guard let options = parse(arguments) else {
            print("usage: phisut-bench enroll --url URL --officer-token TOKEN [--count N] [--concurrency N]")
            print("                           [--show-errors N] [--progress SECONDS]")
            exit(2)
        }
        let terms: String
        do {
            terms = try fetchTermsVersion(options)
        } catch {
            standardError("phisut-bench enroll: cannot fetch \(options.url)/device/v1/terms: \(error)")
            exit(1)
        }
        let result = drive(options, termsVersion: terms)
        report(result, options: options)
        exit(result.failures == 0 ? 0 : 1)
    }

    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            guard index + 1 < arguments.count else { return nil }
            let value = arguments[index + 1]
            switch name {
            case "--url": options.url = value.hasSuffix("/") ? String(value.dropLast()) : value
            case "--officer-token": options.officerToken = value
            case "--count": guard let n = Int(value), n > 0 else { return nil }; options.count = n
            case "--concurrency": guard let n = Int(value), n > 0 else { return nil }; options.concurrency = n
            case "--show-errors": guard let n = Int(value), n >= 0 else { return nil }; options.showErrors = n
            case "--progress": guard let s = Double(value), s > 0 else { return nil }; options.progressSeconds = s
            default: return nil
            }
            index += 2
        }
        return options.officerToken.isEmpty ? nil : options
    }

    static func client() -> HTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.policy = .developmentLoopback
        configuration.totalTimeout = 60   // an fsync queue under load must show as latency, not as an error
        return HTTPClient(configuration: configuration)
    }

    static func fetchTermsVersion(_ options: Options) throws -> String {
        let response = try client().send(OutboundRequest(url: options.url + "/device/v1/terms"))
        guard response.status == 200, let version = try JSONValue(parsing: response.body)["version"]?.stringValue else {
            throw EnrollFailure(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        return version
    }

    /// Runs the workers to completion, printing progress to stderr while they run.
    static func drive(_ options: Options, termsVersion: String) -> EnrollResult {
        let plan = EnrollPlan(options: options, termsVersion: termsVersion, ids: EnrollCitizenIDs())
        let collector = EnrollCollector()
        let group = DispatchGroup()
        let cpuStart = enrollProcessCPUSeconds()
        let start = enrollClock()
        for _ in 0..<options.concurrency {
            group.enter()
            let thread = Thread {
                collector.add(EnrollWorker(plan: plan).run())
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        var lastDone = 0
        var lastTime = start
        while group.wait(timeout: .now() + options.progressSeconds) == .timedOut {
            let now = enrollClock(), done = plan.completed.load(ordering: .relaxed)
            let rate = Double(done - lastDone) / (now - lastTime)
            standardError(String(format: "  %6.0f s  %8d done  %7.0f/s now", now - start, done, rate))
            (lastDone, lastTime) = (done, now)
        }
        var result = collector.result
        result.seconds = enrollClock() - start
        result.clientCPUSeconds = enrollProcessCPUSeconds() - cpuStart
        return result
    }

    static func report(_ result: EnrollResult, options: Options) {
        func row(_ name: String, _ value: String) { print(name.padding(toLength: 40, withPad: " ", startingAt: 0) + " " + value) }
        func ms(_ value: Double) -> String { String(format: "%.2f", value) }
        row("enrollments attempted", "\(options.count)")
        row("enrollments succeeded (201 + 201)", "\(result.succeeded)")
        row("errors (any non-201 or transport)", "\(result.failures)")
        row("concurrency (threads, 1 connection each)", "\(options.concurrency)")
        row("total time (s)", String(format: "%.1f", result.seconds))
        row("enrollments/s", String(format: "%.1f", Double(result.succeeded) / result.seconds))
        for (name, latencies) in [("officer POST", result.officer), ("device POST", result.device),
                                  ("client keygen+proof", result.crypto)] {
            row("\(name) p50 / p99 / max (ms)", [0.5, 0.99, 1.0].map { ms(latencies.percentileMilliseconds($0)) }.joined(separator: " / "))
        }
        row("generator CPU (s, user+sys)", String(format: "%.1f", result.clientCPUSeconds))
        if !result.firstErrors.isEmpty {
            print("first errors:")
            for error in result.firstErrors.prefix(options.showErrors) { print("  \(error)") }
        }
    }
}
