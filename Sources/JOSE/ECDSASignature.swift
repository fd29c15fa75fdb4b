/// Converts between the DER `ECDSA-Sig-Value` OpenSSL speaks and the fixed-width r‖s form
/// JWS uses (RFC 7518 §3.4).
enum ECDSASignature {
    /// Appends r‖s, each left-padded to `coordinateSize`, parsed from OpenSSL's DER output.
    static func appendRaw(fromDER der: UnsafeBufferPointer<UInt8>, coordinateSize: Int, to output: inout [UInt8]) throws(JOSEError) {
        var reader = der[...]
        guard reader.popFirst() == 0x30, let total = reader.popFirst(), total < 0x80, Int(total) == reader.count else {
            throw .crypto("unexpected ECDSA signature encoding")
        }
        for _ in 0..<2 {
            guard reader.popFirst() == 0x02, let length = reader.popFirst(), length < 0x80, Int(length) <= reader.count else {
                throw .crypto("unexpected ECDSA signature encoding")
            }
            var integer = reader.prefix(Int(length))
            reader = reader.dropFirst(Int(length))
            while integer.count > coordinateSize, integer.first == 0 { integer = integer.dropFirst() }
            guard integer.count <= coordinateSize else { throw .crypto("unexpected ECDSA signature encoding") }
            output.append(contentsOf: repeatElement(0, count: coordinateSize - integer.count))
            output.append(contentsOf: integer)
        }
    }

    /// DER `SEQUENCE { INTEGER r, INTEGER s }` for a JWS r‖s signature of even length.
    static func der(fromRaw raw: [UInt8]) -> [UInt8] {
        let half = raw.count / 2
        let r = integer(raw[..<half]), s = integer(raw[half...])
        var output: [UInt8] = [0x30]
        output.reserveCapacity(6 + r.count + s.count)
        appendLength(r.count + s.count + 4, to: &output)
        output.append(0x02)
        appendLength(r.count, to: &output)
        output.append(contentsOf: r)
        output.append(0x02)
        appendLength(s.count, to: &output)
        output.append(contentsOf: s)
        return output
    }

    /// Minimal DER INTEGER content for an unsigned big-endian value.
    private static func integer(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var trimmed = bytes.drop { $0 == 0 }
        if trimmed.isEmpty { return [0] }
        if let first = trimmed.first, first & 0x80 != 0 { trimmed = [0] + trimmed }
        return trimmed
    }

    private static func appendLength(_ length: Int, to output: inout [UInt8]) {
        if length < 0x80 {
            output.append(UInt8(length))
        } else {
            output.append(0x81)
            output.append(UInt8(truncatingIfNeeded: length))
        }
    }
}
