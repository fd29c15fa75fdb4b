extension HTTPClient {
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]
    static let credentialHeaders: Set<String> = ["authorization", "cookie", "proxy-authorization"]

    /// The request for the next hop (RFC 9110 §15.4): 303 — and 301/302 after a POST, as every
    /// user agent does — become a body-less GET; 307/308 repeat the method and body.
    static func redirected(_ request: OutboundRequest, status: Int, to location: String) -> OutboundRequest {
        var next = request
        next.url = location
        let becomesGet = (status == 303 && request.method != "HEAD") || ((status == 301 || status == 302) && request.method == "POST")
        if becomesGet {
            next.method = "GET"
            next.body = []
            next.headers.removeAll { ["content-type", "content-length"].contains($0.0.lowercased()) }
        }
        return next
    }

    /// Refuses methods and headers that would let a caller-supplied string split the request.
    static func validate(_ request: OutboundRequest) throws(OutboundError) {
        guard !request.method.isEmpty, request.method.utf8.allSatisfy(isTokenByte) else {
            throw .invalidURL("method \(request.method) is not an HTTP token")
        }
        for (name, value) in request.headers {
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else { throw .invalidURL("header name \(name)") }
            guard value.utf8.allSatisfy({ $0 != 0x0d && $0 != 0x0a && $0 != 0 }) else {
                throw .invalidURL("header \(name) has CR, LF or NUL in its value")
            }
        }
    }

    /// RFC 9110 §5.6.2 tchar.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension CurlURL {
    func sameOrigin(as other: CurlURL) -> Bool {
        scheme == other.scheme && host == other.host && port == other.port
    }
}
