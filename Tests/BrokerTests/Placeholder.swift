import Testing
@testable import Broker

@Test func placeholderBroker() { #expect(Bool(true)) }
