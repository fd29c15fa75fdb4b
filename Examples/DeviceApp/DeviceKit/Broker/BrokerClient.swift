import HTTPClient
import JSON

/// The broker's device API (CONTRACT.md, "Device API") as seen from the device.
public struct BrokerClient: Sendable {
    /// The terms of service the citizen accepts (`GET /device/v1/terms`).
    public struct Terms: Sendable, Equatable {
        public let version: String
        public let thai: String
        public let english: String
    }

    /// The broker's issuer URL, without a trailing slash.
    public let issuer: String
    public let transport: any BrokerTransport

    public init(issuer: String, transport: any BrokerTransport) {
        self.issuer = issuer
        self.transport = transport
    }

    /// `GET /device/v1/terms` → `{"version", "text": {"th", "en"}}`.
    public func terms() throws(DeviceError) -> Terms {
        let document = try call("GET", "/device/v1/terms", expecting: [200])
        guard let version = document["version"]?.stringValue, !version.isEmpty,
              let thai = document["text"]?["th"]?.stringValue, let english = document["text"]?["en"]?.stringValue
        else { throw .unexpectedResponse("terms without version and text.th/text.en") }
        return Terms(version: version, thai: thai, english: english)
    }

    /// `POST /device/v1/enroll` → 201 `{"device_id", "citizen_id", "status": "enrolled"}`;
    /// returns the device id.
    public func enroll(_ body: JSONValue) throws(DeviceError) -> String {
        let answer = try call("POST", "/device/v1/enroll", body: body, expecting: [200, 201])
        guard let deviceID = answer["device_id"]?.stringValue, !deviceID.isEmpty else {
            throw .unexpectedResponse("enrollment accepted without a device_id")
        }
        return deviceID
    }

    /// `GET /device/v1/requests` with a device assertion → `{"requests": […]}`.
    public func requests(assertion: String) throws(DeviceError) -> JSONValue {
        let answer = try call("GET", "/device/v1/requests", assertion: assertion, expecting: [200])
        guard answer["requests"]?.arrayValue != nil else { throw .unexpectedResponse("no requests list") }
        return answer
    }

    /// `DELETE /device/v1/devices/{device_id}` with a device assertion.
    public func revoke(deviceID: String, assertion: String) throws(DeviceError) {
        _ = try call("DELETE", "/device/v1/devices/" + Self.escapePathSegment(deviceID), assertion: assertion,
                     expecting: [200, 204])
    }

    /// One exchange. A status outside `expecting` becomes `.refused` with the broker's
    /// `error` and `error_description` (RFC 6749 §5.2 shape) when the body has them.
    func call(_ method: String, _ path: String, body: JSONValue? = nil, assertion: String? = nil,
              expecting: Set<Int>) throws(DeviceError) -> JSONValue {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let assertion { headers.append(("Authorization", "Bearer " + assertion)) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let request = OutboundRequest(method: method, url: issuer + path, headers: headers, body: body?.serialized() ?? [])
        let response: OutboundResponse
        do {
            response = try transport.send(request)
        } catch {
            throw .transport(error)
        }
        let document = try? JSONValue(parsing: response.body)
        guard expecting.contains(response.status) else {
            let error = document?["error"]?.stringValue.map(Self.oneLine) ?? "HTTP \(response.status)"
            let description = document?["error_description"]?.stringValue.map(Self.oneLine)
            throw .refused(status: response.status, error: error, description: description)
        }
        if response.body.isEmpty { return .object([:]) }
        guard let document, document.objectValue != nil else { throw .unexpectedResponse("\(method) \(path) did not answer a JSON object") }
        return document
    }

    /// Broker text shown on one terminal line: control characters become spaces, and it is
    /// cut at 300 characters (a hostile broker cannot paint the terminal).
    static func oneLine(_ text: String) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
        return cleaned.count > 300 ? String(cleaned.prefix(300)) + "…" : cleaned
    }

    /// RFC 3986 unreserved characters pass; everything else is percent-encoded.
    static func escapePathSegment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
