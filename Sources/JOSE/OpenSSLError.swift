import COpenSSL

extension JOSEError {
    /// A `.crypto` error naming `operation` and the oldest queued OpenSSL error. Drains the
    /// thread's error queue so a stale entry can never be blamed on a later operation.
    static func openSSL(_ operation: String) -> JOSEError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return .crypto(operation) }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .crypto("\(operation): \(text)")
    }
}
