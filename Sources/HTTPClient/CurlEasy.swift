import CCurl

/// A host and the addresses the policy approved for it.
struct Destination {
    let url: CurlURL
    let addresses: [IPAddress]
}

/// Owns one libcurl easy handle and its error buffer.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Runs one transfer with every option set afresh (connections and caches survive the reset).
    /// Returns the response and, for a 3xx, the absolute redirect target libcurl computed.
    func perform(
        _ request: OutboundRequest, to destination: Destination, configuration: HTTPClientConfiguration
    ) throws(OutboundError) -> (OutboundResponse, String?) {
        curl_easy_reset(handle)
        // Reset again afterwards so an idle handle keeps no pointers to this call's lists and URL.
        defer { curl_easy_reset(handle) }
        errorBuffer[0] = 0
        let state = TransferState(limit: configuration.maxResponseBytes, approved: Set(destination.addresses))
        let headerList = CurlStringList()
        let resolveList = CurlStringList()
        let url = destination.url

        try set(CCurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        try set(CCurl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER")
        try set(CCurl_setopt_ptr(handle, CURLOPT_CURLU, UnsafeRawPointer(url.handle)), "CURLU")
        // Only the scheme that was checked; redirects are never followed by libcurl itself.
        try set(CCurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, url.scheme), "PROTOCOLS_STR")
        try set(CCurl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, url.scheme), "REDIR_PROTOCOLS_STR")
        try set(CCurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0), "FOLLOWLOCATION")
        // "" disables proxies even when http_proxy/https_proxy are set: a proxy would connect
        // to addresses we never checked.
        try set(CCurl_setopt_string(handle, CURLOPT_PROXY, ""), "PROXY")
        try set(CCurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1), "SSL_VERIFYPEER")
        try set(CCurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2), "SSL_VERIFYHOST")

        let total = request.timeout ?? configuration.totalTimeout
        let connect = min(configuration.connectTimeout, total)
        try set(CCurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, try Self.milliseconds(total)), "TIMEOUT_MS")
        try set(CCurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, try Self.milliseconds(connect)), "CONNECTTIMEOUT_MS")
        try set(CCurl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent), "USERAGENT")
        try set(CCurl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(max(0, configuration.maxResponseBytes))), "MAXFILESIZE")

        for (name, value) in request.headers {
            // "Name;" is libcurl's spelling of a header sent with an empty value.
            try headerList.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        if !request.headers.contains(where: { $0.0.lowercased() == "expect" }) {
            // libcurl 7.x waits up to a second for "100 Continue" on bodies over 1 KiB.
            try headerList.append("Expect:")
        }
        try set(CCurl_setopt_ptr(handle, CURLOPT_HTTPHEADER, headerList.head), "HTTPHEADER")

        if !url.isLiteral {
            // Pin the name to the addresses we checked, so libcurl never resolves it again.
            let addresses = destination.addresses.map(\.resolveForm).joined(separator: ",")
            try resolveList.append("\(url.host):\(url.port):\(addresses)")
            try set(CCurl_setopt_ptr(handle, CURLOPT_RESOLVE, resolveList.head), "RESOLVE")
        }

        try setMethod(request)

        try set(
            CCurl_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
                TransferState.from(user)?.receiveBody(data, size * count) ?? 0
            }, "WRITEFUNCTION")
        try set(CCurl_setopt_ptr(handle, CURLOPT_WRITEDATA, state.opaque), "WRITEDATA")
        try set(
            CCurl_setopt_write(handle, CURLOPT_HEADERFUNCTION) { data, size, count, user in
                TransferState.from(user)?.receiveHeader(data, size * count) ?? 0
            }, "HEADERFUNCTION")
        try set(CCurl_setopt_ptr(handle, CURLOPT_HEADERDATA, state.opaque), "HEADERDATA")
        // Second line of defence behind CURLOPT_RESOLVE: refuse any socket to an unchecked address.
        try set(
            CCurl_setopt_opensocket(handle) { user, _, address in
                TransferState.from(user)?.openSocket(address) ?? -1
            }, "OPENSOCKETFUNCTION")
        try set(CCurl_setopt_ptr(handle, CURLOPT_OPENSOCKETDATA, state.opaque), "OPENSOCKETDATA")

        let code = withExtendedLifetime((state, headerList, resolveList, url)) { curl_easy_perform(handle) }

        if let refused = state.refused { throw .forbiddenAddress("connection to unchecked address \(refused)") }
        if state.refusedUnknownFamily { throw .forbiddenAddress("connection to a non-IP address") }
        guard code == CURLE_OK else { throw error(for: code, exceeded: state.exceeded) }

        var status = 0
        _ = CCurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var location: UnsafeMutablePointer<CChar>?
        let redirect: String? =
            if CCurl_getinfo_string(handle, CURLINFO_REDIRECT_URL, &location) == CURLE_OK, let location {
                String(cString: location)
            } else {
                nil
            }
        return (OutboundResponse(status: status, headers: state.headers, body: state.body), redirect)
    }

    private func setMethod(_ request: OutboundRequest) throws(OutboundError) {
        let method = request.method
        if !request.body.isEmpty || method == "POST" {
            try set(CCurl_setopt_long(handle, CURLOPT_POST, 1), "POST")
            try set(CCurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)), "POSTFIELDSIZE")
            // COPYPOSTFIELDS copies POSTFIELDSIZE bytes now, so the body need not outlive this call.
            let code =
                request.body.isEmpty
                ? CCurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
                : request.body.withUnsafeBytes { CCurl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            try set(code, "COPYPOSTFIELDS")
            if method != "POST" { try set(CCurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method), "CUSTOMREQUEST") }
        } else if method == "HEAD" {
            try set(CCurl_setopt_long(handle, CURLOPT_NOBODY, 1), "NOBODY")
        } else if method == "GET" {
            try set(CCurl_setopt_long(handle, CURLOPT_HTTPGET, 1), "HTTPGET")
        } else {
            try set(CCurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method), "CUSTOMREQUEST")
        }
    }

    private func set(_ code: CURLcode, _ option: String) throws(OutboundError) {
        guard code == CURLE_OK else {
            throw .transport("CURLOPT_\(option): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    private static func milliseconds(_ seconds: Double) throws(OutboundError) -> Int {
        guard seconds.isFinite, seconds > 0, seconds < 86_400 else { throw .transport("timeout \(seconds)s out of range") }
        return max(1, Int(seconds * 1000))
    }

    private func error(for code: CURLcode, exceeded: Bool) -> OutboundError {
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_WRITE_ERROR where exceeded, CURLE_FILESIZE_EXCEEDED: return .responseTooLarge
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_COULDNT_CONNECT: return .connectFailed(detail)
        case CURLE_COULDNT_RESOLVE_HOST: return .resolveFailed(detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED:
            return .tls(detail)
        default: return .transport(detail)
        }
    }
}
