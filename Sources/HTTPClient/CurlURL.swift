import CCurl

/// Owns one libcurl URL handle (`CURLU`). The same handle is given to the transfer with
/// CURLOPT_CURLU, so the host we check is exactly the host libcurl connects to — no second
/// URL parser that could disagree with ours.
final class CurlURL {
    let handle: OpaquePointer
    /// "http" or "https".
    let scheme: String
    /// Lowercased, no brackets, no trailing dot.
    let host: String
    let port: Int
    /// The host is an IP literal, not a name.
    let isLiteral: Bool

    static let maximumLength = 8192

    init(_ string: String) throws(OutboundError) {
        guard !string.isEmpty, string.utf8.count <= Self.maximumLength else {
            throw .invalidURL("empty or longer than \(Self.maximumLength) bytes")
        }
        guard string.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw .invalidURL("contains spaces, control or non-ASCII characters")
        }
        guard let handle = curl_url() else { throw .transport("curl_url: out of memory") }
        self.handle = handle
        // Until every stored property is set, deinit does not run: free by hand on failure.
        let parts: Parts
        do throws(OutboundError) {
            parts = try Self.parse(handle, string)
        } catch {
            curl_url_cleanup(handle)
            throw error
        }
        self.scheme = parts.scheme
        self.host = parts.host
        self.port = parts.port
        self.isLiteral = parts.isLiteral
    }

    deinit { curl_url_cleanup(handle) }

    private struct Parts {
        var scheme: String, host: String, port: Int, isLiteral: Bool
    }

    private static func parse(_ handle: OpaquePointer, _ string: String) throws(OutboundError) -> Parts {
        let code = curl_url_set(handle, CURLUPART_URL, string, 0)
        guard code == CURLUE_OK else {
            throw .invalidURL(String(cString: curl_url_strerror(code)))
        }
        guard let scheme = part(handle, CURLUPART_SCHEME)?.lowercased() else {
            throw .invalidURL("no scheme")
        }
        guard scheme == "http" || scheme == "https" else { throw .invalidURL("scheme \(scheme) is not http(s)") }
        guard let rawHost = part(handle, CURLUPART_HOST), !rawHost.isEmpty else {
            throw .invalidURL("no host")
        }
        if part(handle, CURLUPART_ZONEID) != nil { throw .forbiddenAddress("IPv6 zone identifier") }
        let host = AddressPolicy.normalise(rawHost)
        guard !host.isEmpty else { throw .invalidURL("no host") }
        // Write the normalised name back so libcurl's DNS cache key matches our CURLOPT_RESOLVE entry.
        let bracketed = rawHost.hasPrefix("[")
        if !bracketed && host != rawHost {
            guard curl_url_set(handle, CURLUPART_HOST, host, 0) == CURLUE_OK else {
                throw .invalidURL("host \(rawHost)")
            }
        }
        guard let portText = part(handle, CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT)),
            let port = Int(portText), (1...65535).contains(port)
        else { throw .invalidURL("port") }
        return Parts(scheme: scheme, host: host, port: port, isLiteral: bracketed || IPAddress.literal(host) != nil)
    }

    private static func part(_ handle: OpaquePointer, _ what: CURLUPart, flags: UInt32 = 0) -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, what, &pointer, flags) == CURLUE_OK, let pointer else { return nil }
        defer { curl_free(pointer) }
        return String(cString: pointer)
    }
}
