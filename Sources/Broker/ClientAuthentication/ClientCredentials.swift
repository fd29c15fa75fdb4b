/// The client credentials a token-endpoint request carries, as extracted by the HTTP layer and
/// not yet checked: the `Authorization: Basic` header and the form fields of RFC 6749 §2.3.1
/// and RFC 7523 §2.2.
public struct ClientCredentials: Sendable, Equatable {
    /// `client_id` and `client_secret` from an `Authorization: Basic` header.
    public struct Basic: Sendable, Equatable {
        public let clientID: String
        public let secret: String
    }

    /// Decoded Basic credentials; nil when there was no Basic header.
    public var basic: Basic?
    /// An `Authorization: Basic` header was sent but could not be decoded.
    public var malformedBasic: Bool
    /// Form `client_id`.
    public var clientID: String?
    /// Form `client_secret` (client_secret_post).
    public var clientSecret: String?
    /// Form `client_assertion_type` and `client_assertion` (RFC 7523 §2.2).
    public var assertionType: String?
    public var assertion: String?

    public init(basic: Basic? = nil, malformedBasic: Bool = false, clientID: String? = nil, clientSecret: String? = nil,
                assertionType: String? = nil, assertion: String? = nil) {
        self.basic = basic
        self.malformedBasic = malformedBasic
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.assertionType = assertionType
        self.assertion = assertion
    }

    /// Whether an `Authorization: Basic` header was tried (its 401 then carries
    /// `WWW-Authenticate: Basic`, RFC 6749 §5.2).
    public var triedBasic: Bool { basic != nil || malformedBasic }

    /// Reads an `Authorization` header value. RFC 6749 §2.3.1: "the client identifier is encoded
    /// using the application/x-www-form-urlencoded encoding algorithm … and the encoded value is
    /// used as the username; the client password is encoded using the same algorithm and used as
    /// the password". Other schemes give no Basic credentials.
    public mutating func readAuthorization(_ header: String?) {
        guard let header else { return }
        var bytes = Array(header.utf8)
        // The scheme is case-insensitive (RFC 9110 §11.1); "Basic" then one or more spaces.
        guard bytes.count > 6, bytes[5] == 0x20, String(decoding: bytes[..<5], as: UTF8.self).lowercased() == "basic" else { return }
        bytes.removeFirst(6)
        while bytes.first == 0x20 { bytes.removeFirst() }
        while bytes.last == 0x20 { bytes.removeLast() }
        guard let decoded = Self.base64Decode(bytes), let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
              let id = Self.formDecode(decoded[..<colon]), let secret = Self.formDecode(decoded[(colon + 1)...]),
              !id.isEmpty
        else {
            malformedBasic = true
            return
        }
        basic = Basic(clientID: id, secret: secret)
    }

    /// Strict RFC 4648 §4 base64 (padding required). Written out because the token endpoint
    /// reads one Basic header per request and Foundation's decoder dominated its profile.
    static func base64Decode(_ input: [UInt8]) -> [UInt8]? {
        guard !input.isEmpty, input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            var quantum: UInt32 = 0
            var padding = 0
            for offset in 0..<4 {
                let byte = input[index + offset]
                let value: UInt32
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
                case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
                case UInt8(ascii: "+"): value = 62
                case UInt8(ascii: "/"): value = 63
                case UInt8(ascii: "=") where index + 4 == input.count && offset >= 2:
                    padding += 1
                    value = 0
                default: return nil
                }
                // No data after padding ("ab=c" is not base64).
                if padding > 0, byte != UInt8(ascii: "=") { return nil }
                quantum = quantum << 6 | value
            }
            output.append(UInt8(truncatingIfNeeded: quantum >> 16))
            if padding < 2 { output.append(UInt8(truncatingIfNeeded: quantum >> 8)) }
            if padding < 1 { output.append(UInt8(truncatingIfNeeded: quantum)) }
            index += 4
        }
        return output
    }

    /// application/x-www-form-urlencoded decoding of one component: `+` is a space, `%XX` a
    /// byte; the result must be UTF-8.
    static func formDecode(_ input: ArraySlice<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.count)
        var index = input.startIndex
        while index < input.endIndex {
            let byte = input[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < input.endIndex, let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) else { return nil }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? 0x20 : byte)
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
