import JOSE
import JSON

extension DeviceApp {
    /// `devices`: one tab-separated line per enrollment: device id, status, issuer, masked
    /// citizen ID, key type, device name.
    func devices(_ arguments: Arguments) throws(DeviceError) {
        let state = try stateFile(arguments).load()
        if state.enrollments.isEmpty {
            console.prompt("no enrollments")
            return
        }
        for enrollment in state.enrollments {
            console.output([enrollment.deviceID, enrollment.status.rawValue, enrollment.issuer, enrollment.maskedCitizenID,
                            enrollment.keyTypeName, BrokerClient.oneLine(enrollment.deviceName)].joined(separator: "\t"))
        }
    }

    /// `revoke`: unlocks the key, asks the broker to revoke this device, then marks the
    /// enrollment revoked and drops the sealed key.
    func revoke(_ arguments: Arguments) throws(DeviceError) {
        let file = try stateFile(arguments)
        let (enrollment, key) = try unlock(file, arguments)
        let assertion = try DeviceSignatures.deviceAssertion(key: key, algorithm: enrollment.algorithm, deviceID: enrollment.deviceID,
                                                             issuer: enrollment.issuer, now: now())
        try BrokerClient(issuer: enrollment.issuer, transport: transport).revoke(deviceID: enrollment.deviceID, assertion: assertion)
        try file.update(deviceID: enrollment.deviceID) { record in
            record.status = .revoked
            record.sealedKey = nil
        }
        console.output("revoked device \(enrollment.deviceID)")
    }

    /// `requests`: unlocks the key and prints the pending approval requests as JSON.
    func requests(_ arguments: Arguments) throws(DeviceError) {
        let file = try stateFile(arguments)
        let (enrollment, key) = try unlock(file, arguments)
        let assertion = try DeviceSignatures.deviceAssertion(key: key, algorithm: enrollment.algorithm, deviceID: enrollment.deviceID,
                                                             issuer: enrollment.issuer, now: now())
        let answer = try BrokerClient(issuer: enrollment.issuer, transport: transport).requests(assertion: assertion)
        console.output(answer.serializedString())
    }

    /// Asks for the passcode (or takes `--passcode`) and opens the key. A typed wrong passcode
    /// is asked again while tries remain; a wrong `--passcode` fails at once.
    func unlock(_ file: StateFile, _ arguments: Arguments) throws(DeviceError) -> (enrollment: DeviceEnrollment, key: JWK) {
        let prompter = self.prompter
        let deviceID = arguments["device"]
        // Fail on a missing or wiped enrollment before asking for anything.
        _ = try file.load().index(of: deviceID)
        var given = arguments["passcode"]
        for _ in 0..<max(1, prompter.attempts) {
            let passcode = try prompter.ask("Passcode:", given: given, secret: true, parse: Passcode.init)
            do {
                return try file.unlock(deviceID: deviceID, passcode: passcode)
            } catch .wrongPasscode(let remaining) where given == nil {
                console.prompt(DeviceError.wrongPasscode(remaining: remaining).description)
            }
            given = nil
        }
        throw .noAnswer("Passcode:")
    }
}
