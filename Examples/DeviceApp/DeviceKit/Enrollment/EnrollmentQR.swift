/// The enrollment QR code the officer shows: `phisut://enroll?iss=<percent-encoded issuer
/// URL>&code=<code>` (Broker's `EnrollmentService.qrPayload`).
///
/// Parsed strictly, since whatever it names receives the citizen ID: exactly that scheme and
/// host, no path, user, port or fragment, exactly the two parameters once each, strict
/// percent-encoding, and an issuer that is an absolute `https` URL (or `http` on loopback, a
/// development broker) without query or fragment.
public struct EnrollmentQR: Sendable, Equatable {
    /// The broker's issuer URL, without a trailing slash.
    public let issuer: String
    /// The one-time enrollment code.
    public let code: String

    static let prefix = "phisut://enroll?"
    static let maximumLength = 2048

    public init(parsing payload: String) throws(DeviceError) {
        guard payload.utf8.count <= Self.maximumLength else { throw .invalidQRPayload("too long") }
        guard payload.hasPrefix(Self.prefix) else { throw .invalidQRPayload("not a phisut://enroll? link") }
        let query = payload.dropFirst(Self.prefix.count)
        var values: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .invalidQRPayload("parameter without a value") }
            let name = String(parts[0])
            guard name == "iss" || name == "code" else { throw .invalidQRPayload("unexpected parameter") }
            guard values[name] == nil else { throw .invalidQRPayload("repeated parameter \(name)") }
            values[name] = try Self.percentDecode(parts[1])
        }
        guard let issuer = values["iss"], !issuer.isEmpty else { throw .invalidQRPayload("missing iss") }
        guard let code = values["code"], !code.isEmpty else { throw .invalidQRPayload("missing code") }
        guard code.utf8.allSatisfy(Self.isCodeByte) else { throw .invalidQRPayload("code has unexpected characters") }
        self.issuer = try Self.checkedIssuer(issuer)
        self.code = code
    }

    /// Printable ASCII without spaces: what an officer-issued code can contain.
    private static func isCodeByte(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    /// RFC 3986 §2.1 decoding; `+` is not a space here, and a stray `%` is an error.
    static func percentDecode(_ text: Substring) throws(DeviceError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw .invalidQRPayload("bad percent-encoding")
                }
                bytes.append(high << 4 | low)
            } else if isUnreservedOrSubDelimiter(byte) {
                bytes.append(byte)
            } else {
                throw .invalidQRPayload("character not allowed unencoded")
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw .invalidQRPayload("not UTF-8") }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// RFC 3986 unreserved plus the characters a query value may carry literally, but not
    /// `&`, `=`, `#` or `+` (which would make the split ambiguous).
    private static func isUnreservedOrSubDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
             UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "@"), UInt8(ascii: "!"),
             UInt8(ascii: "$"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "?"):
            true
        default: false
        }
    }

    /// The issuer must be an origin plus optional path, https unless it is a loopback
    /// development broker (CONTRACT.md, "Development brokers").
    static func checkedIssuer(_ issuer: String) throws(DeviceError) -> String {
        let lower = issuer.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") { scheme = "https" } else if lower.hasPrefix("http://") { scheme = "http" } else {
            throw .invalidQRPayload("issuer must be an https URL")
        }
        let rest = issuer.dropFirst(scheme.count + 3)
        guard !rest.contains(where: { $0 == "?" || $0 == "#" || $0 == "@" || $0 == "\\" }),
              !rest.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F })
        else { throw .invalidQRPayload("issuer must be a plain URL without query, fragment or user") }
        let authority = rest.prefix { $0 != "/" }
        guard !authority.isEmpty else { throw .invalidQRPayload("issuer has no host") }
        if scheme == "http" && !isLoopback(authority: String(authority)) {
            throw .invalidQRPayload("issuer must use https unless it is a loopback development broker")
        }
        var trimmed = issuer
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    /// `localhost`, 127.0.0.0/8 or [::1], with an optional port.
    static func isLoopback(authority: String) -> Bool {
        var host = authority.lowercased()
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            host = String(host[host.index(after: host.startIndex)..<close])
            return host == "::1"
        }
        if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
        if host == "localhost" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
