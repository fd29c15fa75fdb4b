import JSON

extension BrokerClient {
    /// The request list's URL, also the event stream's.
    public var requestsURL: String { issuer + "/device/v1/requests" }

    /// `POST /device/v1/requests/{request_id}/decision` with `{"decision": JWS}` → the broker's
    /// `status` ("approved" or "denied"). A wrong number is `.refused(400, "wrong_number")`, an
    /// unknown or expired request 404, an already decided one 409.
    public func decide(requestID: String, decision: String, assertion: String) throws(DeviceError) -> String {
        let answer = try call("POST", "/device/v1/requests/" + Self.escapePathSegment(requestID) + "/decision",
                              body: ["decision": .string(decision)], assertion: assertion, expecting: [200])
        guard let status = answer["status"]?.stringValue else { throw .unexpectedResponse("a decision answer without status") }
        return Self.oneLine(status)
    }
}
