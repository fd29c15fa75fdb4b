import HTTPClient
import JSON

/// A JSON answer: the status and the parsed body (nil when the body is not JSON).
public struct JSONAnswer: Sendable {
    public let status: Int
    public let json: JSONValue?
    public let text: String

    /// The body as an object when the status is `expected`; otherwise the step fails with the
    /// status and the start of the body, which is what a person debugging a demo needs to see.
    public func object(expecting expected: Int = 200, step: String) throws(LoginKitError) -> [String: JSONValue] {
        guard status == expected, let object = json?.objectValue else {
            throw .unexpectedStatus(step: step, status: status, body: String(text.prefix(300)))
        }
        return object
    }

    /// The OAuth `error` member of an error answer, if any.
    public var error: String? { json?["error"]?.stringValue }
}

extension HTTPClient {
    /// Sends a request whose answer is JSON. `form` becomes a urlencoded body, `json` a JSON body.
    public func callJSON(_ method: String, _ url: String, headers: [(String, String)] = [],
                         form: [(String, String)]? = nil, json: JSONValue? = nil) throws(LoginKitError) -> JSONAnswer {
        var allHeaders = headers + [("Accept", "application/json")]
        var body: [UInt8] = []
        if let form {
            allHeaders.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = Array(URLForm.encode(form).utf8)
        } else if let json {
            allHeaders.append(("Content-Type", "application/json"))
            body = json.serialized()
        }
        let answer: OutboundResponse
        do { answer = try send(OutboundRequest(method: method, url: url, headers: allHeaders, body: body)) } catch {
            throw .transport("\(method) \(URLForm.withoutQuery(url)): \(error)")
        }
        return JSONAnswer(status: answer.status, json: try? JSONValue(parsing: answer.body),
                          text: String(decoding: answer.body, as: UTF8.self))
    }

    /// A client for talking to a development broker on loopback (plain http allowed there only).
    public static func loopback(timeout: Double = 15) -> HTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.policy = .developmentLoopback
        configuration.totalTimeout = timeout
        configuration.userAgent = "phisut-examples/1"
        return HTTPClient(configuration: configuration)
    }
}
