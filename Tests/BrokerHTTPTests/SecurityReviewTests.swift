import Foundation
import HTTP
import JSON
import Testing
@testable import Broker
@testable import BrokerHTTP

/// Findings of the security review, each pinned by the request that used to break it.
@Suite("Security review: hostile requests to the pages")
struct SecurityReviewPageTests {
    @Test("an Accept-Language made of separators gets a page, not a crash",
          arguments: [";", ",;", ";;,", " ; ", "en;q=1,;"])
    func acceptLanguageSeparators(header: String) throws {
        let app = try TestApp(.inProcess)
        for path in ["/officer/desk", "/login/azr-unknown", "/account/consents"] {
            let reply = try app.request("GET", path, headers: [("Accept-Language", header)])
            #expect(reply.status < 500, "\(path)")
            #expect(reply.header("Content-Type")?.hasPrefix("text/html") == true, "\(path)")
        }
    }
}
