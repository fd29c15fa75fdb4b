import JSON

/// One pending request as `GET /device/v1/requests` lists it and the `request` event carries
/// it (CONTRACT.md, "Device API"): a browser login or a CIBA request waiting for the citizen.
public struct ApprovalRequest: Sendable, Equatable {
    public let requestID: String
    /// The relying party's name, as the broker registered it.
    public let clientName: String
    public let scopes: [String]
    public let claims: [String]
    /// CIBA's `binding_message`, shown so the citizen can match the phone to the counter.
    public let bindingMessage: String?
    /// True when the citizen must type the two digits shown on the login page.
    public let numberChallenge: Bool
    /// Seconds since 1970.
    public let expiresAt: Int64?

    public init(requestID: String, clientName: String, scopes: [String] = [], claims: [String] = [],
                bindingMessage: String? = nil, numberChallenge: Bool = false, expiresAt: Int64? = nil) {
        self.requestID = requestID
        self.clientName = clientName
        self.scopes = scopes
        self.claims = claims
        self.bindingMessage = bindingMessage
        self.numberChallenge = numberChallenge
        self.expiresAt = expiresAt
    }

    /// Reads one request object; `request_id` is required, the rest defaults when absent.
    public init(json: JSONValue) throws(DeviceError) {
        guard json.objectValue != nil, let id = json["request_id"]?.stringValue, !id.isEmpty else {
            throw .unexpectedResponse("a request without request_id")
        }
        let strings: (String) -> [String] = { json[$0]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(requestID: id, clientName: json["client_name"]?.stringValue ?? "", scopes: strings("scopes"),
                  claims: strings("claims"), bindingMessage: json["binding_message"]?.stringValue,
                  numberChallenge: json["number_challenge"]?.boolValue ?? false, expiresAt: json["expires_at"]?.intValue)
    }

    /// What the phone shows before asking: who asks, for what, and the binding message; every
    /// broker-given text on one line (a hostile broker cannot paint the terminal).
    public var displayLines: [String] {
        var lines = ["\(BrokerClient.oneLine(clientName.isEmpty ? "(unnamed service)" : clientName)) asks you to sign in"]
        if !scopes.isEmpty { lines.append("  scopes: " + BrokerClient.oneLine(scopes.joined(separator: " "))) }
        if !claims.isEmpty { lines.append("  claims: " + BrokerClient.oneLine(claims.joined(separator: ", "))) }
        if let bindingMessage { lines.append("  message: " + BrokerClient.oneLine(bindingMessage)) }
        if numberChallenge { lines.append("  you will type the number shown on the login page") }
        lines.append("  request: " + BrokerClient.oneLine(requestID))
        return lines
    }
}
