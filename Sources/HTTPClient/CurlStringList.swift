import CCurl

/// Owns a `curl_slist`; libcurl only borrows it, so it must outlive the transfer that uses it.
final class CurlStringList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    init() {}

    deinit { curl_slist_free_all(head) }

    func append(_ line: String) throws(OutboundError) {
        // On failure curl_slist_append leaves the old list intact and returns NULL.
        guard let newHead = curl_slist_append(head, line) else { throw .transport("curl_slist_append: out of memory") }
        head = newHead
    }
}
