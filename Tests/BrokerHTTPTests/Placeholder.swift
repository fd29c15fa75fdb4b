import Testing
@testable import BrokerHTTP

@Test func placeholderBrokerHTTP() { #expect(Bool(true)) }
