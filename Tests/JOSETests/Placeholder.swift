import Testing
@testable import JOSE

@Test func placeholderJOSE() { #expect(Bool(true)) }
