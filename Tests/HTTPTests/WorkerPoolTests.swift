import Foundation
import Testing
@testable import HTTP

/// Counts finished jobs and lets a test wait for a number of them without timing assertions.
// @unchecked: every field is guarded by `condition`.
private final class JobTally: @unchecked Sendable {
    private let condition = NSCondition()
    private var done: [Int] = []
    private var running = 0
    private var peak = 0

    var maxRunning: Int {
        condition.lock()
        defer { condition.unlock() }
        return peak
    }

    func record(_ value: Int) {
        condition.lock()
        done.append(value)
        condition.broadcast()
        condition.unlock()
    }

    func enter() {
        condition.lock()
        running += 1
        peak = max(peak, running)
        condition.broadcast()
        condition.unlock()
    }

    func leave() {
        condition.lock()
        running -= 1
        condition.unlock()
    }

    /// Waits until `count` jobs have been running at the same time (at some moment).
    func waitForRunning(_ count: Int) {
        condition.lock()
        while peak < count { condition.wait() }
        condition.unlock()
    }

    func waitFor(_ count: Int) -> [Int] {
        condition.lock()
        defer { condition.unlock() }
        while done.count < count { condition.wait() }
        return done
    }
}

/// A gate jobs block on until the test opens it.
// @unchecked: `open` is guarded by `condition`.
private final class JobGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}

@Suite("Worker pool and its job queue")
struct WorkerPoolTests {
    @Test func jobQueueIsFIFOAcrossGrowthAndWrapAround() {
        var queue = JobQueue()
        let tally = JobTally()
        var next = 0
        // Interleave pushes and pops so the ring wraps before it grows (64 → 128 → 256).
        for round in 0..<6 {
            for _ in 0..<(40 * (round + 1)) {
                let value = next
                queue.push { tally.record(value) }
                next += 1
            }
            for _ in 0..<(30 * (round + 1)) {
                guard let job = queue.pop() else { Issue.record("queue ran dry"); return }
                job()
            }
        }
        while let job = queue.pop() { job() }
        #expect(queue.isEmpty)
        #expect(queue.count == 0)
        #expect(tally.waitFor(next) == Array(0..<next))
    }

    @Test func everyJobRunsOnceWhenManyThreadsSubmit() async {
        let pool = WorkerPool(threads: 4)
        let tally = JobTally()
        let submitters = 8, perSubmitter = 2_000
        await withTaskGroup(of: Void.self) { group in
            for submitter in 0..<submitters {
                group.addTask {
                    for index in 0..<perSubmitter {
                        let value = submitter * perSubmitter + index
                        pool.submit { tally.record(value) }
                    }
                }
            }
        }
        let done = tally.waitFor(submitters * perSubmitter)
        pool.stop()
        #expect(done.count == submitters * perSubmitter)
        #expect(Set(done).count == submitters * perSubmitter)
    }

    @Test func oneSubmitterJobsStartInSubmissionOrderOnOneWorker() {
        let pool = WorkerPool(threads: 1)
        let tally = JobTally()
        for value in 0..<5_000 { pool.submit { tally.record(value) } }
        #expect(tally.waitFor(5_000) == Array(0..<5_000))
        pool.stop()
    }

    /// While some workers block, queued jobs must still reach the idle ones: the wake-up chain
    /// may never leave a job waiting next to a sleeping worker.
    @Test func blockedWorkersDoNotStarveQueuedJobs() {
        let workers = 4
        let pool = WorkerPool(threads: workers)
        let gate = JobGate()
        let tally = JobTally()
        // All four jobs must run at the same time for any of them to finish: they only leave
        // the gate once every worker is inside, so this deadlocks unless each job got a worker.
        for value in 0..<workers {
            pool.submit {
                tally.enter()
                tally.waitForRunning(workers)
                gate.wait()
                tally.leave()
                tally.record(value)
            }
        }
        tally.waitForRunning(workers)
        #expect(tally.maxRunning == workers)
        gate.open()
        #expect(Set(tally.waitFor(workers)) == Set(0..<workers))
        pool.stop()
    }

    @Test func stopLetsQueuedJobsFinish() {
        let pool = WorkerPool(threads: 2)
        let gate = JobGate()
        let tally = JobTally()
        pool.submit { gate.wait(); tally.record(0) }
        pool.submit { gate.wait(); tally.record(1) }
        for value in 2..<50 { pool.submit { tally.record(value) } }
        pool.stop()
        gate.open()
        #expect(Set(tally.waitFor(50)) == Set(0..<50))
    }
}

@Suite("Header name comparison and media types")
struct HeaderMatchingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let lhs: String
        let rhs: String
        let equal: Bool
        var testDescription: String { "\(lhs) vs \(rhs)" }
    }

    @Test("ASCII case-insensitive equality", arguments: [
        Case(lhs: "Content-Type", rhs: "content-type", equal: true),
        Case(lhs: "CONTENT-TYPE", rhs: "Content-Type", equal: true),
        Case(lhs: "Content-Type", rhs: "Content-Typ", equal: false),
        Case(lhs: "Content-Type", rhs: "Content_Type", equal: false),
        Case(lhs: "a@", rhs: "a`", equal: false),  // differ by 0x20 but are not letters
        Case(lhs: "[x", rhs: "{x", equal: false),
        Case(lhs: "é", rhs: "É", equal: false),  // non-ASCII compares exactly
        Case(lhs: "", rhs: "", equal: true),
    ])
    func equality(_ test: Case) {
        #expect(test.lhs.asciiCaseInsensitiveEquals(test.rhs) == test.equal)
        #expect(test.rhs.asciiCaseInsensitiveEquals(test.lhs) == test.equal)
        // Bridged or substring-backed strings take the non-contiguous path.
        let copy = String(Substring(test.lhs))
        #expect(copy.asciiCaseInsensitiveEquals(test.rhs) == test.equal)
    }

    @Test("media kinds for the default headers", arguments: [
        ("application/json", HTTPResponse.MediaKind.json),
        ("Application/JSON; charset=utf-8", .json),
        ("application/jwk-set+json", .json),
        ("  application/problem+JSON ;x=y", .json),
        ("text/html; charset=utf-8", .html),
        ("TEXT/HTML", .html),
        ("text/plain", .other),
        ("json", .other),
        ("", .other),
        ("application/jsonx", .other),
    ])
    func mediaKind(_ contentType: String, _ kind: HTTPResponse.MediaKind) {
        #expect(HTTPResponse.mediaKind(contentType) == kind)
    }

    @Test func defaultsRespectHandlerHeadersWhateverTheirCase() {
        var response = HTTPResponse.html(200, "<p>")
        response.headers.add("content-security-policy", "default-src 'self'")
        response.headers.add("x-frame-options", "SAMEORIGIN")
        response.headers.add("cache-control", "max-age=5")
        response.headers.add("referrer-policy", "origin")
        response.headers.add("x-content-type-options", "nosniff")
        let result = response.withSecurityDefaults()
        #expect(result.headers.count == response.headers.count)
        #expect(result.headers["Content-Security-Policy"] == "default-src 'self'")
        let plain = HTTPResponse.text(200, "x").withSecurityDefaults()
        #expect(plain.headers["Cache-Control"] == nil)
        #expect(plain.headers["X-Content-Type-Options"] == "nosniff")
        #expect(plain.headers["Referrer-Policy"] == "no-referrer")
    }

    @Test("form media type", arguments: [
        ("application/x-www-form-urlencoded", true),
        ("Application/X-WWW-Form-Urlencoded ; charset=UTF-8", true),
        ("\tapplication/x-www-form-urlencoded", true),
        ("application/x-www-form-urlencodedx", false),
        ("multipart/form-data", false),
        ("", false),
    ])
    func formMediaType(_ contentType: String, _ accepted: Bool) {
        #expect(HTTPRequest.mediaTypeIs(contentType, "application/x-www-form-urlencoded") == accepted)
    }

    @Test("duplicated names in order of first appearance, small and large forms", arguments: [0, 40])
    func duplicatedNamesInOrderOfFirstAppearance(padding: Int) throws {
        let filler = (0..<padding).map { "p\($0)=x" }.joined(separator: "&")
        let form = "a=1&b=2&a=3&c=4&b=5&b=6&d=7" + (filler.isEmpty ? "" : "&" + filler)
        let parameters = try HTTPParameters.parse(urlEncoded: form.utf8, plusAsSpace: true)
        #expect(parameters.duplicatedNames == ["a", "b"])
    }
}
