import Broker
import HTTP

/// The form body of a back-channel POST, parsed once: duplicates refused (RFC 6749 §3.2:
/// "Request and response parameters MUST NOT be included more than once"), client credentials
/// split off into `ClientCredentials`.
struct BackChannelForm {
    let parameters: [String: String]
    let credentials: ClientCredentials

    init(_ request: HTTPRequest) throws(OAuthError) {
        let form: HTTPParameters
        do {
            form = try request.formParameters()
        } catch {
            switch error {
            case .wrongContentType: throw .invalidRequest("the body must be application/x-www-form-urlencoded")
            case .duplicate(let name): throw .invalidRequest("\(name) must not be repeated")
            case .malformed(let detail): throw .invalidRequest("the form is malformed: \(detail)")
            }
        }
        if let repeated = form.duplicatedNames.first { throw .invalidRequest("\(repeated) must not be repeated") }
        var parameters: [String: String] = [:]
        for pair in form.pairs { parameters[pair.name] = pair.value }
        var credentials = ClientCredentials(
            clientID: parameters["client_id"], clientSecret: parameters["client_secret"],
            assertionType: parameters["client_assertion_type"], assertion: parameters["client_assertion"])
        credentials.readAuthorization(request.headers["Authorization"])
        self.parameters = parameters
        self.credentials = credentials
    }

    func required(_ name: String) throws(OAuthError) -> String {
        guard let value = parameters[name], !value.isEmpty else { throw .invalidRequest("\(name) is required") }
        return value
    }
}
