import Foundation
import HTTPClient

/// Plays the citizen through the broker's pages as CONTRACT.md ("Browser pages") fixes them,
/// with a ``SimulatedDevice`` approving on the phone's side:
/// authorization URL → `login-form` (citizen ID) → `number-challenge` read → the device
/// decides with that number → `continue-form` → `consent-form` (when shown) → the redirect to
/// the relying party, which is returned unfollowed.
public struct ScriptedLogin {
    /// The steps, in order, as timed and reported.
    public enum Step: String, Sendable, CaseIterable {
        case authorize, login, push, approve, proceed = "continue", consent
    }

    public let browser: BrowserAgent
    public let device: SimulatedDevice
    public let client: HTTPClient
    /// Whether the device approves (false: it denies) and whether consent is given.
    public var approve = true
    public var consent = true
    /// Called after each step with its duration in seconds; used by the demo and the benchmark.
    public var onStep: (Step, Double, String) -> Void = { _, _, _ in }

    public init(browser: BrowserAgent, device: SimulatedDevice, client: HTTPClient) {
        self.browser = browser
        self.device = device
        self.client = client
    }

    /// Runs the flow and returns the callback URL the broker redirected to (starting with
    /// `redirectPrefix`). A page missing what the contract promises fails with ``LoginKitError/page(_:)``.
    public func run(authorizationURL: String, redirectPrefix: String) throws(LoginKitError) -> String {
        var started = Date()
        var response = try browser.open(authorizationURL, stopAt: redirectPrefix)
        done(.authorize, &started, "GET \(URLForm.withoutQuery(authorizationURL)) → \(response.status)")
        if let location = response.location, location.hasPrefix(redirectPrefix) { return location }

        guard let loginForm = response.page.form(id: "login-form") else {
            throw .page("no login-form at \(URLForm.withoutQuery(response.url)) (HTTP \(response.status)): \(response.page.text.prefix(200))")
        }
        response = try browser.submit(loginForm, overrides: ["citizen_id": device.citizenID], stopAt: redirectPrefix)
        done(.login, &started, "posted login-form → \(response.status)")
        if let location = response.location, location.hasPrefix(redirectPrefix) { return location }
        guard let number = response.page.text(ofElementWithID: "number-challenge"),
              var continueForm = response.page.form(id: "continue-form")
        else { throw .page("no number-challenge/continue-form after login: \(response.page.text.prefix(200))") }

        let request = try device.waitForRequest(client: client)
        done(.push, &started, "the device got a request from \(request.clientName) for \(request.scopes.joined(separator: " "))")
        let decision = try device.decide(requestID: request.requestID, approve: approve,
                                         number: request.numberChallenge ? number : nil, client: client)
        guard decision.status == 200 else {
            throw .unexpectedStatus(step: "device decision", status: decision.status, body: String(decision.text.prefix(200)))
        }
        done(.approve, &started, "the device \(approve ? "approved" : "denied") with number \(number)")

        for _ in 0..<50 {
            response = try browser.submit(continueForm, stopAt: redirectPrefix)
            if let location = response.location, location.hasPrefix(redirectPrefix) {
                done(.proceed, &started, "posted continue-form → back to the relying party")
                return location
            }
            guard let again = response.page.form(id: "continue-form") else { break }
            continueForm = again   // still waiting: the decision has not landed yet
            usleep(50_000)
        }
        done(.proceed, &started, "posted continue-form → \(response.status)")

        guard let consentForm = response.page.form(id: "consent-form") else {
            throw .page("neither a redirect nor consent-form after continue: \(response.page.text.prefix(200))")
        }
        let choice = consent ? "allow" : "deny"
        guard let button = consentForm.buttons.first(where: { $0.name == "consent" && $0.value == choice }) else {
            throw .page("consent-form has no consent=\(choice) button")
        }
        response = try browser.submit(consentForm, button: button, stopAt: redirectPrefix)
        done(.consent, &started, "consent \(choice) → \(response.status)")
        guard let location = response.location, location.hasPrefix(redirectPrefix) else {
            throw .page("no redirect to the relying party after consent (HTTP \(response.status)): \(response.page.text.prefix(200))")
        }
        return location
    }

    private func done(_ step: Step, _ started: inout Date, _ detail: String) {
        let now = Date()
        onStep(step, now.timeIntervalSince(started), detail)
        started = now
    }
}
