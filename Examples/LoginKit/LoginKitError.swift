/// Everything that can go wrong while a relying party, a scripted browser or a simulated device
/// talks to the broker. The texts are for people running the examples: they say which step failed.
public enum LoginKitError: Error, Sendable, CustomStringConvertible {
    /// The broker could not be reached or answered in a way no step can use.
    case transport(String)
    /// An HTTP answer with an unexpected status; `body` is the start of the answer.
    case unexpectedStatus(step: String, status: Int, body: String)
    /// A page lacked what CONTRACT.md promises (a form, the number challenge).
    case page(String)
    /// The broker redirected back with `error=…` (e.g. `access_denied`).
    case authorizationError(code: String, description: String?)
    /// A check of the relying party failed: state, iss, ID token claims, signatures.
    case validation(String)
    /// A command-line or fixture problem.
    case usage(String)

    public var description: String {
        switch self {
        case .transport(let text): "transport: \(text)"
        case .unexpectedStatus(let step, let status, let body): "\(step): HTTP \(status): \(body)"
        case .page(let text): "page: \(text)"
        case .authorizationError(let code, let description): "authorization error \(code)" + (description.map { ": \($0)" } ?? "")
        case .validation(let text): "validation: \(text)"
        case .usage(let text): text
        }
    }
}
