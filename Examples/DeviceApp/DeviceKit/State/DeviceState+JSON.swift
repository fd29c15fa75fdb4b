import JOSE
import JSON

// The state file's JSON form. Binary fields are base64url; unknown members are ignored so a
// later minor change stays readable, but a missing or mistyped one refuses the whole file.
extension DeviceState {
    public func json() -> JSONValue {
        .object(["version": .int(Self.formatVersion), "enrollments": .array(enrollments.map { $0.json() })])
    }

    public init(json: JSONValue) throws(DeviceError) {
        guard let version = json["version"]?.intValue else { throw .stateFile("no format version") }
        guard version == Self.formatVersion else { throw .stateFile("format version \(version) is not supported") }
        guard let list = json["enrollments"]?.arrayValue else { throw .stateFile("no enrollments list") }
        var enrollments: [DeviceEnrollment] = []
        for item in list { enrollments.append(try DeviceEnrollment(json: item)) }
        self.init(enrollments: enrollments)
    }
}

extension DeviceEnrollment {
    func json() -> JSONValue {
        var object: [String: JSONValue] = [
            "device_id": .string(deviceID), "issuer": .string(issuer), "citizen_id": .string(citizenID),
            "device_name": .string(deviceName), "alg": .string(algorithm.rawValue), "public_key": publicKey,
            "failed_passcodes": .int(Int64(failedPasscodes)), "status": .string(status.rawValue),
            "enrolled_at": .int(enrolledAt),
        ]
        if let sealedKey { object["sealed_key"] = sealedKey.json() }
        return .object(object)
    }

    init(json: JSONValue) throws(DeviceError) {
        func string(_ name: String) throws(DeviceError) -> String {
            guard let value = json[name]?.stringValue else { throw .stateFile("enrollment without \(name)") }
            return value
        }
        guard let algorithm = JWSAlgorithm(rawValue: try string("alg")), DeviceKeyType(algorithm: algorithm) != nil else {
            throw .stateFile("unsupported key algorithm")
        }
        guard let status = Status(rawValue: try string("status")) else { throw .stateFile("unknown status") }
        guard let publicKey = json["public_key"], publicKey.objectValue != nil else { throw .stateFile("enrollment without public_key") }
        guard let failed = json["failed_passcodes"]?.intValue, failed >= 0, failed <= 1000 else {
            throw .stateFile("bad failed_passcodes")
        }
        guard let enrolledAt = json["enrolled_at"]?.intValue else { throw .stateFile("enrollment without enrolled_at") }
        let sealed: SealedKey? = if let sealedJSON = json["sealed_key"] { try SealedKey(json: sealedJSON) } else { nil }
        guard status != .active || sealed != nil else { throw .stateFile("an active enrollment without its key") }
        self.init(deviceID: try string("device_id"), issuer: try string("issuer"), citizenID: try string("citizen_id"),
                  deviceName: try string("device_name"), algorithm: algorithm, publicKey: publicKey, sealedKey: sealed,
                  failedPasscodes: Int(failed), status: status, enrolledAt: enrolledAt)
    }
}

extension SealedKey {
    func json() -> JSONValue {
        var object: [String: JSONValue] = [
            "cipher": "A256GCM", "salt": .string(Base64URL.encode(salt)), "nonce": .string(Base64URL.encode(nonce)),
            "tag": .string(Base64URL.encode(tag)), "ciphertext": .string(Base64URL.encode(ciphertext)),
        ]
        switch kdf {
        case .scrypt(let n, let r, let p):
            object["kdf"] = "scrypt"
            object["n"] = .int(Int64(n))
            object["r"] = .int(Int64(r))
            object["p"] = .int(Int64(p))
        case .pbkdf2SHA256(let iterations):
            object["kdf"] = "pbkdf2-sha256"
            object["iterations"] = .int(Int64(iterations))
        }
        return .object(object)
    }

    init(json: JSONValue) throws(DeviceError) {
        func bytes(_ name: String) throws(DeviceError) -> [UInt8] {
            guard let text = json[name]?.stringValue, let value = try? Base64URL.decode(text) else {
                throw .stateFile("sealed key without \(name)")
            }
            return value
        }
        func number<T: FixedWidthInteger>(_ name: String, as: T.Type) throws(DeviceError) -> T {
            guard let value = json[name]?.intValue, let exact = T(exactly: value) else { throw .stateFile("sealed key without \(name)") }
            return exact
        }
        guard json["cipher"]?.stringValue == "A256GCM" else { throw .stateFile("unsupported cipher") }
        let kdf: PasscodeKDF
        switch json["kdf"]?.stringValue {
        case "scrypt": kdf = .scrypt(n: try number("n", as: UInt64.self), r: try number("r", as: UInt32.self), p: try number("p", as: UInt32.self))
        case "pbkdf2-sha256": kdf = .pbkdf2SHA256(iterations: try number("iterations", as: UInt32.self))
        default: throw .stateFile("unsupported kdf")
        }
        try kdf.checkBounds()
        self.init(kdf: kdf, salt: try bytes("salt"), nonce: try bytes("nonce"), tag: try bytes("tag"), ciphertext: try bytes("ciphertext"))
    }
}
