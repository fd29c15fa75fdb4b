import JOSE

extension DeviceApp {
    /// `approve REQUEST_ID` / `deny REQUEST_ID`, for scripts: unlocks the key (passcode from
    /// `--passcode` or stdin), looks the request up among the pending ones (so the citizen sees
    /// what is decided, and a number challenge is known before a try is spent), and posts the
    /// signed decision. Prints `approved|denied REQUEST_ID` on stdout.
    func decide(_ arguments: Arguments, approve: Bool) throws(DeviceError) {
        guard arguments.positionals.count == 1, let requestID = arguments.positionals.first, !requestID.isEmpty else {
            throw .usage("\(arguments.command) needs exactly one REQUEST_ID\n" + Self.usage)
        }
        let number = try arguments["number"].map { (text: String) throws(DeviceError) in try ApprovalNumber(text) }
        let file = try stateFile(arguments)
        let (enrollment, key) = try unlock(file, arguments)
        let broker = BrokerClient(issuer: enrollment.issuer, transport: transport)
        let listing = try broker.requests(assertion: try assertion(enrollment, key))
        let pending = try (listing["requests"]?.arrayValue ?? []).map { (json) throws(DeviceError) in try ApprovalRequest(json: json) }
        guard let request = pending.first(where: { $0.requestID == requestID }) else {
            throw .noDevice("no pending request \(BrokerClient.oneLine(requestID)) for device \(enrollment.deviceID) (expired, decided or unknown)")
        }
        for line in request.displayLines { console.prompt(line) }
        let status = try post(request, approve: approve, number: number, enrollment: enrollment, key: key, broker: broker)
        console.output("\(status) \(request.requestID)")
    }

    /// Signs and posts one decision. For an approval with a number challenge the number comes
    /// from `number` (a wrong one fails at once) or is typed, and a typed wrong number is asked
    /// again while the broker allows (it fails the request at the third).
    func post(_ request: ApprovalRequest, approve: Bool, number given: ApprovalNumber?, enrollment: DeviceEnrollment,
              key: JWK, broker: BrokerClient) throws(DeviceError) -> String {
        let prompter = self.prompter
        var fromFlag = given
        for _ in 0..<3 {
            var number: ApprovalNumber?
            if approve && request.numberChallenge {
                number = try prompter.ask("Type the number shown on the login page:", given: fromFlag?.digits, parse: ApprovalNumber.init)
            }
            let decision = try DeviceSignatures.decision(key: key, algorithm: enrollment.algorithm, deviceID: enrollment.deviceID,
                                                         requestID: request.requestID, approve: approve, number: number, now: now())
            do {
                return try broker.decide(requestID: request.requestID, decision: decision, assertion: try assertion(enrollment, key))
            } catch .refused(400, "wrong_number", let description) where fromFlag == nil && approve && request.numberChallenge {
                console.prompt("wrong number" + (description.map { ": \($0)" } ?? "") + "; look at the login page again")
            }
            fromFlag = nil
        }
        throw .refused(status: 400, error: "wrong_number", description: "three wrong numbers")
    }

    func assertion(_ enrollment: DeviceEnrollment, _ key: JWK) throws(DeviceError) -> String {
        try DeviceSignatures.deviceAssertion(key: key, algorithm: enrollment.algorithm, deviceID: enrollment.deviceID,
                                             issuer: enrollment.issuer, now: now())
    }
}
