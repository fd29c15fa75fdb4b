import Foundation

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
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic" else { return }
        guard let decoded = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8),
              let colon = text.firstIndex(of: ":"),
              let id = Self.formDecode(text[..<colon]), let secret = Self.formDecode(text[text.index(after: colon)...]),
              !id.isEmpty
        else {
            malformedBasic = true
            return
        }
        basic = Basic(clientID: id, secret: secret)
    }

    static func formDecode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
