/// Base64url without padding (RFC 7515 §2, RFC 4648 §5).
public enum Base64URL {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// 0...63 for alphabet bytes, 0xFF for everything else.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Encodes `bytes` as unpadded base64url.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        append(bytes, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the unpadded base64url encoding of `bytes` to `output` (no intermediate String).
    static func append(_ bytes: some Collection<UInt8>, to output: inout [UInt8]) {
        let appended: Void? = bytes.withContiguousStorageIfAvailable { appendContiguous($0, to: &output) }
        if appended == nil {
            Array(bytes).withUnsafeBufferPointer { appendContiguous($0, to: &output) }
        }
    }

    private static func appendContiguous(_ input: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        let start = output.count
        let encodedCount = input.count / 3 * 4 + [0, 2, 3][input.count % 3]
        // Grow once, then write through a raw buffer: no per-byte append bookkeeping.
        output.append(contentsOf: repeatElement(0, count: encodedCount))
        alphabet.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBufferPointer { buffer in
                var out = start
                var index = 0
                while index + 3 <= input.count {
                    let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                    buffer[out] = table[Int(chunk >> 18 & 63)]
                    buffer[out + 1] = table[Int(chunk >> 12 & 63)]
                    buffer[out + 2] = table[Int(chunk >> 6 & 63)]
                    buffer[out + 3] = table[Int(chunk & 63)]
                    index += 3
                    out += 4
                }
                switch input.count - index {
                case 1:
                    let chunk = UInt32(input[index]) << 16
                    buffer[out] = table[Int(chunk >> 18 & 63)]
                    buffer[out + 1] = table[Int(chunk >> 12 & 63)]
                case 2:
                    let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                    buffer[out] = table[Int(chunk >> 18 & 63)]
                    buffer[out + 1] = table[Int(chunk >> 12 & 63)]
                    buffer[out + 2] = table[Int(chunk >> 6 & 63)]
                default:
                    break
                }
            }
        }
    }

    /// Decodes strict unpadded base64url: refuses `=` padding, `+`, `/`, whitespace, a length
    /// ≡ 1 (mod 4), and non-zero unused trailing bits (so every value has one encoding).
    public static func decode(_ text: some StringProtocol) throws(JOSEError) -> [UInt8] {
        let result: Result<[UInt8], JOSEError>? = text.utf8.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JOSEError) in try decode(bytes: buffer) }
        }
        if let result { return try result.get() }
        return try Array(text.utf8).withUnsafeBufferPointer { buffer throws(JOSEError) in try decode(bytes: buffer) }
    }

    /// Decodes strict unpadded base64url from raw bytes (see `decode(_:)`).
    static func decode(bytes input: UnsafeBufferPointer<UInt8>) throws(JOSEError) -> [UInt8] {
        let remainder = input.count % 4
        guard remainder != 1 else { throw .invalidBase64 }
        let decodedCount = input.count / 4 * 3 + (remainder == 0 ? 0 : remainder - 1)
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: decodedCount) { buffer, initialized in
            decodeTable.withUnsafeBufferPointer { table in
                var index = 0
                var out = 0
                while index + 4 <= input.count {
                    let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                    let c = table[Int(input[index + 2])], d = table[Int(input[index + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { failed = true; break }
                    let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    buffer[out] = UInt8(truncatingIfNeeded: chunk >> 16)
                    buffer[out + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                    buffer[out + 2] = UInt8(truncatingIfNeeded: chunk)
                    index += 4
                    out += 3
                }
                if !failed {
                    switch remainder {
                    case 2:
                        let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                        // The unused low 4 bits must be zero so each value has one encoding.
                        if (a | b) & 0xC0 != 0 || b & 0x0F != 0 { failed = true } else {
                            buffer[out] = a << 2 | b >> 4
                            out += 1
                        }
                    case 3:
                        let a = table[Int(input[index])], b = table[Int(input[index + 1])], c = table[Int(input[index + 2])]
                        if (a | b | c) & 0xC0 != 0 || c & 0x03 != 0 { failed = true } else {
                            buffer[out] = a << 2 | b >> 4
                            buffer[out + 1] = b << 4 | c >> 2
                            out += 2
                        }
                    default:
                        break
                    }
                }
                // Only the bytes written so far count as initialized (UInt8 needs no cleanup).
                initialized = failed ? 0 : out
            }
        }
        if failed { throw .invalidBase64 }
        return output
    }
}
