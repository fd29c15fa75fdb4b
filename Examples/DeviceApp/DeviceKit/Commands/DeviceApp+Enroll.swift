import Glibc
import JOSE
import JSON

extension DeviceApp {
    /// `enroll`: DESIGN.md enrollment steps 3–8. Nothing is posted to the broker before the QR code,
    /// citizen ID, terms and passcode are all settled, and the state file is written only after
    /// the broker accepted, in one atomic replace.
    func enroll(_ arguments: Arguments) throws(DeviceError) {
        let prompter = self.prompter
        // The QR code names the broker, so it is checked first: nothing is fetched from, or
        // told to, a host a malformed code names.
        let qr = try prompter.ask("Scan the enrollment QR code (paste its text):", given: arguments["qr"],
                                  parse: EnrollmentQR.init(parsing:))
        let keyType = try arguments["key-type"].map { (text: String) throws(DeviceError) in try DeviceKeyType(argument: text) } ?? .p256
        let deviceName = try Self.deviceName(arguments["device-name"])
        let file = try stateFile(arguments)
        try file.checkWritable()
        _ = try file.load()

        let citizen = try prompter.ask("Citizen ID (13 digits):", given: arguments["citizen-id"], parse: CitizenNumber.init)

        let broker = BrokerClient(issuer: qr.issuer, transport: transport)
        let terms = try broker.terms()
        console.prompt("Terms of service, version \(terms.version)\n\n\(terms.thai)\n\n\(terms.english)\n")
        guard try prompter.confirm("Do you accept these terms?", given: arguments.has("accept-terms") ? true : nil) else {
            throw .termsDeclined
        }

        let passcode = try prompter.choosePasscode(first: arguments["passcode"], again: arguments["passcode-again"],
                                                   confirm: arguments["passcode-confirm"])

        let key = try keyType.generate()
        let sealed = try SealedKey.seal(key, passcode: passcode, kdf: kdf)
        let issuedAt = now()
        let proof = try DeviceSignatures.enrollmentProof(key: key, algorithm: keyType.algorithm, code: qr.code,
                                                         citizenID: citizen.digits, now: issuedAt)
        let publicKey = key.publicKey.json()
        var body: [String: JSONValue] = [
            "enrollment_code": .string(qr.code), "citizen_id": .string(citizen.digits),
            "terms_version": .string(terms.version), "device_name": .string(deviceName), "device_key": publicKey,
            "proof": .string(proof),
        ]
        if let pushURL = arguments["push-url"] { body["push_url"] = .string(pushURL) }
        let deviceID = try broker.enroll(.object(body))

        do {
            try file.append(DeviceEnrollment(
                deviceID: deviceID, issuer: qr.issuer, citizenID: citizen.digits, deviceName: deviceName,
                algorithm: keyType.algorithm, publicKey: publicKey, sealedKey: sealed, enrolledAt: issuedAt))
        } catch {
            throw .stateFile("the broker enrolled device \(deviceID) but it could not be saved (\(error)); revoke it at the broker")
        }
        console.prompt("citizen \(citizen.masked), \(keyType.displayName) key, state in \(file.path)")
        console.output("enrolled device \(deviceID)")
    }

    /// The `--device-name` value, else the host name; 1–100 printable characters.
    static func deviceName(_ given: String?) throws(DeviceError) -> String {
        let name = given ?? hostName()
        guard !name.isEmpty, name.count <= 100, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .usage("--device-name must be 1 to 100 printable characters") }
        return name
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "phisut-device" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "phisut-device" : name
    }
}
