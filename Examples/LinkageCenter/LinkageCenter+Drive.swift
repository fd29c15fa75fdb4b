import Foundation
import HTTPClient
import LoginKit

extension LinkageCenter {
    /// `--drive`: a scripted browser visits the running app, signs in (the simulated device
    /// approves), prints what the signed-in page shows, then signs out. Throws on any failure.
    func drive(device: SimulatedDevice, client: HTTPClient) throws {
        let browser = BrowserAgent(client: client)
        let home = try browser.open(Self.base + "/")
        guard home.body.contains("href=\"/login\"") else { throw LoginKitError.page("the home page has no sign-in link") }
        say("[browser] home page: \"Sign in with Phisut\"")
        var login = ScriptedLogin(browser: browser, device: device, client: client)
        let say = self.say
        login.onStep = { step, seconds, detail in say(String(format: "[browser] %@ %6.1f ms  %@", step.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0), seconds * 1000, detail)) }
        let callback = try login.run(authorizationURL: Self.base + "/login", redirectPrefix: Self.base + "/callback")
        let page = try browser.open(callback)
        guard page.status == 200, let name = page.page.text(ofElementWithID: "citizen-name") else {
            throw LoginKitError.page("the callback page shows no citizen (HTTP \(page.status)): \(page.page.text.prefix(300))")
        }
        say("[browser] signed in as \(name); citizen ID \(page.page.text(ofElementWithID: "pid") ?? "?")")
        say("[browser] agency records: \(page.page.text(ofElementWithID: "agency-records") ?? "none")")
        let after = try browser.open(Self.base + "/logout")
        say("[browser] signed out: back at \(after.url) (HTTP \(after.status))")
    }
}
