/// Incremental decoder for the chunked transfer coding (RFC 9112 §7.1).
///
/// Strict: sizes are 1–15 hex digits, a chunk-size line (with any extension) is at most
/// `maxSizeLineBytes`, line ends are CRLF, trailers are read and ignored within
/// `maxTrailerBytes`, and the decoded body may not exceed `maxBodyBytes`.
package struct ChunkedDecoder: Sendable {
    private enum State: Sendable {
        case size, sizeLF, data, dataCR, dataLF, trailerLineStart, trailerLine, trailerLF, endLF, done
    }

    static let maxSizeLineBytes = 256
    private var state = State.size
    private var size = 0
    private var digits = 0
    private var inExtension = false
    private var lineBytes = 0
    private var remaining = 0
    private var trailerBytes = 0
    private let maxBodyBytes: Int
    private let maxTrailerBytes: Int

    package init(maxBodyBytes: Int, maxTrailerBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    package var isComplete: Bool { if case .done = state { true } else { false } }

    /// Decodes from `input` into `body`; returns how many bytes were consumed. Stops right after
    /// the final CRLF so pipelined bytes stay unread.
    package mutating func decode(
        _ input: UnsafeBufferPointer<UInt8>, into body: inout [UInt8]
    ) throws(HTTPParseError) -> Int {
        var index = 0
        while index < input.count {
            let byte = input[index]
            switch state {
            case .done:
                return index
            case .size:
                lineBytes += 1
                guard lineBytes <= Self.maxSizeLineBytes else { throw .badRequest("chunk size line too long") }
                if inExtension {
                    if byte == 0x0D { state = .sizeLF }
                    else if !HTTPSyntax.isFieldValueByte(byte) { throw .badRequest("invalid chunk extension") }
                } else if let value = hexValue(byte) {
                    digits += 1
                    guard digits <= 15 else { throw .badRequest("chunk size too long") }
                    size = size << 4 | Int(value)
                } else if byte == UInt8(ascii: ";") || byte == 0x20 || byte == 0x09 {
                    guard digits > 0 else { throw .badRequest("invalid chunk size") }
                    inExtension = true
                } else if byte == 0x0D, digits > 0 {
                    state = .sizeLF
                } else {
                    throw .badRequest("invalid chunk size")
                }
                index += 1
            case .sizeLF:
                guard byte == 0x0A else { throw .badRequest("bare CR in chunk size line") }
                index += 1
                if size == 0 {
                    state = .trailerLineStart
                } else {
                    guard size <= maxBodyBytes - body.count else { throw .bodyTooLarge }
                    remaining = size
                    state = .data
                }
            case .data:
                let take = min(remaining, input.count - index)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<(index + take)]))
                remaining -= take
                index += take
                if remaining == 0 { state = .dataCR }
            case .dataCR:
                guard byte == 0x0D else { throw .badRequest("chunk data longer than its size") }
                state = .dataLF
                index += 1
            case .dataLF:
                guard byte == 0x0A else { throw .badRequest("bare CR after chunk data") }
                state = .size
                size = 0
                digits = 0
                lineBytes = 0
                inExtension = false
                index += 1
            case .trailerLineStart, .trailerLine:
                trailerBytes += 1
                guard trailerBytes <= maxTrailerBytes else { throw .headersTooLarge }
                if byte == 0x0D {
                    state = state == .trailerLineStart ? .endLF : .trailerLF
                } else if case .trailerLineStart = state, byte == 0x20 || byte == 0x09 {
                    throw .badRequest("obsolete line folding in trailer")
                } else if !HTTPSyntax.isFieldValueByte(byte) {
                    throw .badRequest("invalid character in trailer")
                } else {
                    state = .trailerLine
                }
                index += 1
            case .trailerLF:
                guard byte == 0x0A else { throw .badRequest("bare CR in trailer") }
                state = .trailerLineStart
                index += 1
            case .endLF:
                guard byte == 0x0A else { throw .badRequest("bare CR at end of chunked body") }
                state = .done
                index += 1
                return index
            }
        }
        return index
    }
}
