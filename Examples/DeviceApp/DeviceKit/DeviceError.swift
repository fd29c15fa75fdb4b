import HTTPClient

/// Every way a device command can fail. `description` is the one line printed on stderr; it
/// never contains a passcode, a private key or an unmasked citizen ID.
public enum DeviceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bad command line (unknown command or flag, missing value).
    case usage(String)
    /// Not 13 digits, or the check digit is wrong.
    case invalidCitizenID
    /// The enrollment QR payload is not exactly `phisut://enroll?iss=…&code=…`.
    case invalidQRPayload(String)
    /// A passcode that is not exactly 6 digits.
    case passcodeFormat
    /// The passcode entries did not match.
    case passcodeMismatch
    /// The citizen did not accept the terms of service.
    case termsDeclined
    /// Standard input ended (or gave only wrong answers) while `String` was being asked.
    case noAnswer(String)
    /// AES-GCM authentication failed: the passcode is wrong. `remaining` tries are left before
    /// the key is wiped.
    case wrongPasscode(remaining: Int)
    /// The key was wiped after too many wrong passcodes, or after revocation.
    case keyWiped
    /// No usable enrollment in the state file, or several and none chosen.
    case noDevice(String)
    /// The state file is missing, unreadable, too open, or not ours.
    case stateFile(String)
    /// OpenSSL failed, or a stored key is unusable.
    case crypto(String)
    /// The request could not be sent or no response arrived.
    case transport(OutboundError)
    /// The broker refused: its `error` and `error_description` (CONTRACT.md).
    case refused(status: Int, error: String, description: String?)
    /// The broker's answer is not what CONTRACT.md promises.
    case unexpectedResponse(String)
    /// The request stream could not be opened or broke off (`listen` reconnects).
    case streamDropped(String)

    public var description: String {
        switch self {
        case .usage(let why): why
        case .invalidCitizenID: "invalid citizen ID: it must be 13 digits with a valid check digit"
        case .invalidQRPayload(let why): "invalid enrollment QR code: \(why)"
        case .passcodeFormat: "the passcode must be exactly 6 digits"
        case .passcodeMismatch: "the passcodes do not match"
        case .termsDeclined: "the terms of service were not accepted; nothing was sent"
        case .noAnswer(let question): "no answer for: \(question)"
        case .wrongPasscode(let remaining):
            "wrong passcode (\(remaining) more wrong \(remaining == 1 ? "try wipes" : "tries wipe") the key)"
        case .keyWiped: "the device key has been wiped; enroll this device again"
        case .noDevice(let why): "no device: \(why)"
        case .stateFile(let why): "state file: \(why)"
        case .crypto(let why): "crypto failure: \(why)"
        case .transport(let error): "could not reach the broker: \(error)"
        case .refused(let status, let error, let description):
            "the broker refused (\(status)): \(error)" + (description.map { ": \($0)" } ?? "")
        case .unexpectedResponse(let why): "unexpected answer from the broker: \(why)"
        case .streamDropped(let why): "the request stream dropped: \(why)"
        }
    }
}
