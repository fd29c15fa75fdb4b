import Testing
@testable import HTTPClient

/// checkURL never connects; names used here are IP literals or `localhost` (from /etc/hosts),
/// so nothing leaves the machine.
@Suite("Address policy")
struct AddressPolicyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let url: String
        let why: String
        var testDescription: String { "\(why): \(url.debugDescription)" }
    }

    static func client(_ policy: AddressPolicy) -> HTTPClient {
        var configuration = HTTPClientConfiguration()
        configuration.policy = policy
        return HTTPClient(configuration: configuration)
    }

    static let forbiddenInProduction: [Case] = [
        Case(url: "https://10.0.0.1/", why: "private 10/8"),
        Case(url: "https://192.168.1.1/", why: "private 192.168/16"),
        Case(url: "https://172.16.0.1/", why: "private 172.16/12"),
        Case(url: "https://172.31.255.255/", why: "private 172.16/12, top"),
        Case(url: "https://169.254.169.254/latest/meta-data/", why: "link-local cloud metadata"),
        Case(url: "https://127.0.0.1/", why: "loopback"),
        Case(url: "https://127.8.9.10:8443/", why: "loopback 127/8"),
        Case(url: "https://[::1]/", why: "IPv6 loopback"),
        Case(url: "https://[fe80::1]/", why: "IPv6 link-local"),
        Case(url: "https://[fc00::1]/", why: "IPv6 unique local"),
        Case(url: "https://[fd12:3456::1]/", why: "IPv6 unique local fd"),
        Case(url: "https://100.64.0.1/", why: "CGNAT"),
        Case(url: "https://0.0.0.0/", why: "unspecified"),
        Case(url: "https://[::]/", why: "IPv6 unspecified"),
        Case(url: "https://224.0.0.1/", why: "multicast"),
        Case(url: "https://[ff02::1]/", why: "IPv6 multicast"),
        Case(url: "https://255.255.255.255/", why: "broadcast"),
        Case(url: "https://[::ffff:10.0.0.1]/", why: "IPv4-mapped private"),
        Case(url: "https://[::ffff:127.0.0.1]/", why: "IPv4-mapped loopback"),
        Case(url: "https://[64:ff9b::a9fe:a9fe]/", why: "NAT64 of link-local"),
        Case(url: "https://[2002:c0a8:101::1]/", why: "6to4 of 192.168.1.1"),
        Case(url: "https://2130706433/", why: "decimal spelling of 127.0.0.1"),
        Case(url: "https://0x7f.1/", why: "hex spelling of 127.0.0.1"),
        Case(url: "https://localhost/", why: "name resolving to loopback"),
        Case(url: "https://%31%32%37.0.0.1/", why: "percent-encoded loopback"),
        Case(url: "https://LocalHost./", why: "same name, other case, root dot"),
    ]

    @Test("production refuses non-public addresses", arguments: forbiddenInProduction)
    func productionRefuses(_ c: Case) {
        let client = Self.client(.production)
        #expect {
            try client.checkURL(c.url)
        } throws: { error in
            guard case .forbiddenAddress = error as? OutboundError else { return false }
            return true
        }
    }

    static let publicURLs: [Case] = [
        Case(url: "https://93.184.216.34/.well-known/openid-configuration", why: "public IPv4"),
        Case(url: "https://[2001:4860:4860::8888]:8443/jwks", why: "public IPv6"),
        Case(url: "https://8.8.8.8/?q=1#frag", why: "query and fragment"),
        Case(url: "https://172.32.0.1/", why: "just past 172.16/12"),
        Case(url: "https://100.128.0.1/", why: "just past CGNAT"),
    ]

    @Test("production accepts public https", arguments: publicURLs)
    func productionAccepts(_ c: Case) throws {
        try Self.client(.production).checkURL(c.url)
    }

    @Test("production refuses plain http, even to a public address", arguments: [
        "http://93.184.216.34/", "http://127.0.0.1:8080/cb", "http://localhost/", "HTTP://8.8.8.8/",
    ])
    func productionRefusesHTTP(_ url: String) {
        #expect(throws: OutboundError.insecureScheme) { try Self.client(.production).checkURL(url) }
    }

    @Test("the development broker accepts loopback, over http too", arguments: [
        "http://127.0.0.1:8080/cb", "http://localhost:9000/x", "http://[::1]:9000/", "https://127.0.0.1/",
        "https://93.184.216.34/",
    ])
    func developmentAccepts(_ url: String) throws {
        try Self.client(.developmentLoopback).checkURL(url)
    }

    @Test("the development broker still refuses private addresses and non-loopback http")
    func developmentRefuses() {
        let client = Self.client(.developmentLoopback)
        #expect(throws: OutboundError.insecureScheme) { try client.checkURL("http://93.184.216.34/") }
        for url in ["http://10.0.0.1/", "https://192.168.1.1/", "https://169.254.169.254/", "https://0.0.0.0/"] {
            #expect(throws: (any Error).self, "\(url)") { try client.checkURL(url) }
        }
        #expect {
            try client.checkURL("https://10.0.0.1/")
        } throws: { error in
            guard case .forbiddenAddress = error as? OutboundError else { return false }
            return true
        }
    }

    @Test("a host in allowedHosts passes the address check, but not the https rule")
    func allowedHosts() throws {
        let client = Self.client(AddressPolicy(allowedHosts: ["localhost", "10.0.0.1", "[fd00::7]"]))
        try client.checkURL("https://localhost/")
        try client.checkURL("https://LOCALHOST./jwks")
        try client.checkURL("https://10.0.0.1:8443/")
        try client.checkURL("https://[fd00::7]/")
        #expect(throws: OutboundError.insecureScheme) { try client.checkURL("http://localhost/") }
        #expect(throws: (any Error).self) { try client.checkURL("https://10.0.0.2/") }
    }

    @Test("allowPrivate opens private ranges only")
    func allowPrivate() throws {
        let client = Self.client(AddressPolicy(allowPrivate: true))
        try client.checkURL("https://10.0.0.1/")
        try client.checkURL("https://100.64.0.1/")
        try client.checkURL("https://[fd00::1]/")
        for url in ["https://127.0.0.1/", "https://169.254.169.254/", "https://224.0.0.1/"] {
            #expect(throws: (any Error).self, "\(url)") { try client.checkURL(url) }
        }
    }

    @Test("requireHTTPS off allows http to public hosts")
    func plainHTTPWhenAllowed() throws {
        let client = Self.client(AddressPolicy(requireHTTPS: false))
        try client.checkURL("http://93.184.216.34/")
        #expect(throws: (any Error).self) { try client.checkURL("http://127.0.0.1/") }
    }

    static let malformed: [Case] = [
        Case(url: "", why: "empty"),
        Case(url: "not a url", why: "spaces"),
        Case(url: "example.com/path", why: "no scheme"),
        Case(url: "//example.com/path", why: "scheme-relative"),
        Case(url: "https://", why: "no host"),
        Case(url: "https://:443/path", why: "empty host with port"),
        Case(url: "https://exa mple.com/", why: "space in host"),
        Case(url: "https://example.com:99999/", why: "port out of range"),
        Case(url: "https://[::1/", why: "unclosed bracket"),
        Case(url: "https://ex\u{0}ample.com/", why: "NUL"),
        Case(url: "https://bücher.example/", why: "non-ASCII host"),
        Case(url: "https://example.com/\r\nX: y", why: "CRLF"),
        Case(url: "https://user:pw@10.0.0.1@93.184.216.34/", why: "two @ in the authority"),
        Case(url: "https://" + String(repeating: "a", count: 9000) + ".example/", why: "too long"),
    ]

    @Test("malformed URLs are refused", arguments: malformed)
    func malformedRefused(_ c: Case) {
        #expect {
            try Self.client(.developmentLoopback).checkURL(c.url)
        } throws: { error in
            guard case .invalidURL = error as? OutboundError else { return false }
            return true
        }
    }

    @Test("only http and https are spoken", arguments: [
        "file:///etc/passwd", "gopher://127.0.0.1:70/_x", "ftp://93.184.216.34/", "dict://93.184.216.34:11211/",
        "ldap://93.184.216.34/", "javascript:alert(1)", "data:text/plain,hi",
    ])
    func otherSchemesRefused(_ url: String) {
        let client = Self.client(AddressPolicy(allowLoopback: true, requireHTTPS: false))
        #expect {
            try client.checkURL(url)
        } throws: { error in
            guard case .invalidURL = error as? OutboundError else { return false }
            return true
        }
    }

    @Test("IPv6 zone identifiers are refused")
    func zoneIdentifier() {
        #expect(throws: (any Error).self) { try Self.client(.developmentLoopback).checkURL("http://[fe80::1%25eth0]/") }
    }
}

@Suite("IP address scopes")
struct IPAddressScopeTests {
    @Test("classification", arguments: [
        ("8.8.8.8", IPAddress.Scope.global), ("127.0.0.1", .loopback), ("10.255.255.255", .privateUse),
        ("172.15.255.255", .global), ("172.16.0.0", .privateUse), ("192.168.0.1", .privateUse),
        ("100.63.255.255", .global), ("100.127.255.255", .privateUse), ("169.254.0.1", .linkLocal),
        ("0.1.2.3", .unspecified), ("239.255.255.250", .multicast), ("240.0.0.1", .reserved),
        ("::1", .loopback), ("::", .unspecified), ("2001:db8::1", .global), ("fe80::abcd", .linkLocal),
        ("febf::1", .linkLocal), ("fec0::1", .privateUse), ("fc00::", .privateUse), ("ff05::2", .multicast),
        ("::ffff:8.8.8.8", .global), ("::ffff:192.168.0.1", .privateUse), ("64:ff9b::7f00:1", .loopback),
        ("2002:0a00:0001::", .privateUse),
    ])
    func scope(_ text: String, _ expected: IPAddress.Scope) throws {
        let address = try #require(IPAddress.literal(text))
        #expect(address.scope == expected)
    }

    @Test("text form round-trips, IPv6 bracketed for CURLOPT_RESOLVE")
    func textForms() throws {
        let v4 = try #require(IPAddress.literal("192.0.2.7"))
        #expect(v4.description == "192.0.2.7" && v4.resolveForm == "192.0.2.7")
        let v6 = try #require(IPAddress.literal("2001:DB8:0:0::1"))
        #expect(v6.description == "2001:db8::1" && v6.resolveForm == "[2001:db8::1]")
        #expect(IPAddress.literal("example.com") == nil)
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }
}
