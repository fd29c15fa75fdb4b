import JOSE
import JSON

extension DeviceApp {
    /// Longest wait between reconnections, in seconds.
    static let maximumBackoff: Double = 30

    /// `listen`: unlocks the key once, holds `GET /device/v1/requests` as an event stream (a
    /// fresh device assertion per connection) and answers each `request` event: shows who asks
    /// for what, asks yes/no (or takes `--auto`), asks the passcode again before approving, the
    /// number for a number challenge, and posts the signed decision. A dropped stream is
    /// reopened after 1, 2, 4 … 30 s (doubling the broker's `retry` instead of 1 s when it sent
    /// one); a refusal such as a revoked device (4xx) ends the command. The broker repeats
    /// pending requests on each new stream, so a request already answered here is not asked
    /// twice. `--exit-after N` ends after N requests were handled (scripts, benchmarks).
    func listen(_ arguments: Arguments) throws(DeviceError) {
        let auto = try arguments["auto"].map { (text: String) throws(DeviceError) -> Bool in
            switch text {
            case "approve": return true
            case "deny": return false
            default: throw .usage("--auto takes approve or deny")
            }
        }
        let number = try arguments["number"].map { (text: String) throws(DeviceError) in try ApprovalNumber(text) }
        let exitAfter = try arguments["exit-after"].map { (text: String) throws(DeviceError) -> Int in
            guard let count = Int(text), count > 0 else { throw .usage("--exit-after takes a positive count") }
            return count
        }
        let file = try stateFile(arguments)
        let (enrollment, key) = try unlock(file, arguments)
        let broker = BrokerClient(issuer: enrollment.issuer, transport: transport)

        var answered = AnsweredRequests()
        var decisions = 0
        var failures = 0
        var baseDelay: Double = 1
        while true {
            var parser = EventStreamParser()
            do throws(DeviceError) {
                let stream = try eventStreams.open(url: broker.requestsURL, headers: [
                    ("Accept", "text/event-stream"), ("Authorization", "Bearer " + (try assertion(enrollment, key))),
                ])
                console.prompt("listening for requests to device \(enrollment.deviceID)")
                failures = 0
                while true {
                    let bytes = try stream.read()
                    guard !bytes.isEmpty else { throw .streamDropped("the broker closed the stream") }
                    for event in try parser.feed(bytes) where event.name == "request" {
                        guard let request = parseRequest(event.data), answered.insert(request.requestID) else { continue }
                        if !answer(request, auto: auto, number: number, file: file, arguments: arguments,
                                   enrollment: enrollment, key: key, broker: broker) {
                            answered.remove(request.requestID)  // not decided: show it again when the stream repeats it
                        }
                        decisions += 1
                        if let exitAfter, decisions >= exitAfter { return }
                    }
                }
            } catch let error where Self.isRetryable(error) {
                failures += 1
                // §9.2.6: the broker's `retry` sets the reconnection time; we double it per failure.
                if let retry = parser.retryMilliseconds { baseDelay = Double(retry) / 1000 }
                let delay = min(Self.maximumBackoff, baseDelay * Double(1 << min(failures - 1, 6)))
                console.prompt("\(error.description); reconnecting in \(delay) s")
                sleep(delay)
            }
        }
    }

    /// Transport trouble and broker overload are worth retrying; a 4xx refusal (revoked device,
    /// bad assertion), a usage error or a wiped key is not.
    static func isRetryable(_ error: DeviceError) -> Bool {
        switch error {
        case .streamDropped, .transport, .unexpectedResponse: true
        case .refused(let status, _, _): status >= 500 || status == 429
        default: false
        }
    }

    private func parseRequest(_ data: String) -> ApprovalRequest? {
        do {
            return try ApprovalRequest(json: try JSONValue(parsing: data))
        } catch {
            console.prompt("ignoring a malformed request event: \(error)")
            return nil
        }
    }

    /// Shows, asks and posts one decision; true when the broker recorded one (or the request is
    /// gone), false when it should be asked again. A wiped key or missing answer ends `listen`.
    private func answer(_ request: ApprovalRequest, auto: Bool?, number: ApprovalNumber?, file: StateFile,
                        arguments: Arguments, enrollment: DeviceEnrollment, key: JWK, broker: BrokerClient) -> Bool {
        for line in request.displayLines { console.prompt(line) }
        do {
            let approve = try prompter.confirm("Approve?", given: auto)
            var signingKey = key
            if approve {
                // As the D.DOPA app does: the passcode again for every approval.
                console.prompt("confirm with your passcode")
                signingKey = try unlock(file, arguments).key
            }
            let status = try post(request, approve: approve, number: number, enrollment: enrollment, key: signingKey, broker: broker)
            console.output("\(status) \(request.requestID)")
            return true
        } catch .refused(let status, let error, let description) where status == 404 || status == 409 || status == 400 {
            console.prompt("\(request.requestID): \(error)" + (description.map { ": \($0)" } ?? ""))
            return true
        } catch {
            console.prompt("\(request.requestID): \(error.description)")
            return false
        }
    }
}

/// Request ids already answered, oldest dropped past a bound (a listener may run for days).
struct AnsweredRequests {
    private var order: [String] = []
    private var members: Set<String> = []
    let capacity = 1024

    /// True when `id` was not there yet.
    mutating func insert(_ id: String) -> Bool {
        guard members.insert(id).inserted else { return false }
        order.append(id)
        if order.count > capacity { members.remove(order.removeFirst()) }
        return true
    }

    mutating func remove(_ id: String) {
        guard members.remove(id) != nil else { return }
        order.removeAll { $0 == id }
    }
}
