import Testing
@testable import HTTP

@Suite("Query, form and cookie parsing")
struct ParametersTests {
    struct Decoded: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let plusAsSpace: Bool
        let pairs: [String]
        var testDescription: String { name }
    }

    @Test("decodes", arguments: [
        Decoded(name: "simple pairs", input: "a=1&b=2", plusAsSpace: true, pairs: ["a=1", "b=2"]),
        Decoded(name: "plus as space", input: "q=a+b", plusAsSpace: true, pairs: ["q=a b"]),
        Decoded(name: "plus kept when asked", input: "q=a+b", plusAsSpace: false, pairs: ["q=a+b"]),
        Decoded(name: "percent-encoded UTF-8", input: "n=%E0%B8%81%2B", plusAsSpace: true, pairs: ["n=ก+"]),
        Decoded(name: "empty segments skipped", input: "&a=1&&b=&", plusAsSpace: true, pairs: ["a=1", "b="]),
        Decoded(name: "name without value", input: "flag", plusAsSpace: true, pairs: ["flag="]),
        Decoded(name: "equals inside value", input: "x=a=b", plusAsSpace: true, pairs: ["x=a=b"]),
    ])
    func decodes(_ testCase: Decoded) throws {
        let parameters = try HTTPParameters.parse(urlEncoded: Array(testCase.input.utf8), plusAsSpace: testCase.plusAsSpace)
        #expect(parameters.pairs.map { "\($0.name)=\($0.value)" } == testCase.pairs)
    }

    @Test("rejects malformed", arguments: ["a=%", "a=%4", "a=%zz", "%G1=x", "a=%C3%28", "a=%FF"])
    func rejectsMalformed(_ input: String) {
        #expect(throws: HTTPParameterError.self) { try HTTPParameters.parse(urlEncoded: Array(input.utf8), plusAsSpace: true) }
    }

    @Test func duplicatesAreDetected() throws {
        let parameters = try HTTPParameters.parse(urlEncoded: Array("scope=a&client_id=x&scope=b".utf8), plusAsSpace: true)
        #expect(throws: HTTPParameterError.duplicate("scope")) { try parameters.value("scope") }
        #expect(try parameters.value("client_id") == "x")
        #expect(try parameters.value("missing") == nil)
        #expect(parameters.values("scope") == ["a", "b"])
        #expect(parameters.names == ["scope", "client_id"])
        #expect(parameters.duplicatedNames == ["scope"])
    }

    @Test func queryParametersOfRequest() throws {
        let request = HTTPRequest(method: "GET", path: "/authorize", query: "response_type=code&state=a%20b")
        #expect(try request.queryParameters().value("state") == "a b")
        #expect(try HTTPRequest(method: "GET", path: "/").queryParameters().names.isEmpty)
    }

    @Test func formParametersRequireTheContentType() throws {
        var request = HTTPRequest(method: "POST", path: "/token", body: Array("grant_type=authorization_code&code=x+y".utf8))
        #expect(throws: HTTPParameterError.wrongContentType) { try request.formParameters() }
        request.headers["Content-Type"] = "application/json"
        #expect(throws: HTTPParameterError.wrongContentType) { try request.formParameters() }
        request.headers["Content-Type"] = "Application/X-WWW-Form-Urlencoded; charset=UTF-8"
        #expect(try request.formParameters().value("code") == "x y")
    }

    @Test func cookiesFollowRFC6265() {
        var request = HTTPRequest(method: "GET", path: "/")
        request.headers.add("Cookie", "sid=abc; theme=\"dark\"; bad name=x; noequals")
        request.headers.add("Cookie", "sid=second; lang=th")
        #expect(request.cookies == ["sid": "abc", "theme": "dark", "lang": "th"])
    }

    @Test func setCookieHasSafeDefaults() {
        var response = HTTPResponse(status: 200)
        response.setCookie(SetCookie(name: "sid", value: "v1", maxAge: 3600, secure: true))
        response.setCookie(SetCookie(name: "x", value: "a;b\r\nInjected: 1", path: "/p", httpOnly: false, secure: false, sameSite: .none))
        #expect(response.headers.values("Set-Cookie") == [
            "sid=v1; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax",
            "x=abInjected:1; Path=/p; Secure; SameSite=None",
        ])
    }

    @Test func headersAreOrderedAndCaseInsensitive() {
        var headers = HTTPHeaders([("X-A", "1"), ("x-b", "2"), ("x-a", "3")])
        #expect(headers["x-A"] == "1")
        #expect(headers.values("X-A") == ["1", "3"])
        headers["X-A"] = "4"
        #expect(headers.map { "\($0.name)=\($0.value)" } == ["x-b=2", "X-A=4"])
        headers.remove("X-B")
        #expect(headers.count == 1)
        #expect(headers["missing"] == nil)
    }
}
