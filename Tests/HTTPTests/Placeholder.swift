import Testing
@testable import HTTP

@Test func placeholderHTTP() { #expect(Bool(true)) }
