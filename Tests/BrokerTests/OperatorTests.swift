import Storage
import Testing
@testable import Broker

@Suite("Officers and partners")
struct OperatorTests {
    @Test("an officer token authenticates; it is stored hashed; a disabled officer is refused")
    func officerLifecycle() throws {
        let t = try TestBroker()
        let (officer, token) = try t.broker.officers.add(name: "Somchai", officeCode: "BKK-01")
        #expect(officer.tokenHash != token && !officer.tokenHash.contains(token))
        #expect(try t.broker.officers.authenticate(bearer: token).id == officer.id)
        #expect(throws: OAuthError.self) { try t.broker.officers.authenticate(bearer: token + "x") }
        #expect(throws: OAuthError.self) { try t.broker.officers.authenticate(bearer: nil) }
        try t.broker.officers.disable(id: officer.id)
        #expect(throws: OAuthError.self) { try t.broker.officers.authenticate(bearer: token) }
        #expect(try t.broker.officers.list().first?.disabledAt != nil)
    }

    @Test("officer input is validated", arguments: [("", "BKK"), ("Somchai", ""), ("Somchai", "BKK 01"), ("Somchai", String(repeating: "A", count: 40))])
    func officerValidation(_ name: String, _ office: String) throws {
        let t = try TestBroker()
        #expect(throws: OAuthError.self) { try t.broker.officers.add(name: name, officeCode: office) }
    }

    @Test("a partner gets an initial access token, stored hashed, with optional limits")
    func partner() throws {
        let t = try TestBroker()
        let (partner, token) = try t.broker.partners.add(name: "Bank A", lifetime: 3600, uses: 2)
        let record = try t.broker.store.initialAccessToken(tokenHash: SecretHash.of(token))
        #expect(record.partnerID == partner.id)
        #expect(record.expiresAt == t.clock.now + 3600 && record.remainingUses == 2)
        #expect(try t.broker.partners.list().map(\.id) == [partner.id])
        #expect(throws: OAuthError.self) { try t.broker.partners.add(name: "X", lifetime: 0) }
    }
}
