import CQRencode
import Glibc

/// Renders text (a CIBA/device sign-in URL, typically) as a QR code in a standalone SVG.
public enum QRCodeSVG {
    public enum RenderError: Error, Sendable, Equatable {
        /// More data than a version-40 symbol at error-correction level M can hold (about 2.3 KB of bytes).
        case payloadTooLong
        /// Empty text, or text with a NUL character (libqrencode takes C strings).
        case invalidPayload
        /// `moduleSize` outside 1...64 or `margin` outside 0...64.
        case invalidSize
        case encodingFailed(Int32)
    }

    /// An SVG of the QR code for `text` (ISO/IEC 18004, error-correction level M, case kept),
    /// `moduleSize` pixels per module and a quiet zone of `margin` modules (the standard asks 4).
    ///
    /// The output is deterministic: one white `<rect>` and one black `<path>` holding a subpath
    /// per horizontal run of dark modules, drawn in module units and scaled through `viewBox`.
    public static func render(_ text: String, moduleSize: Int = 8, margin: Int = 4) throws -> String {
        guard (1...64).contains(moduleSize), (0...64).contains(margin) else { throw RenderError.invalidSize }
        let matrix = try modules(for: text)
        let side = matrix.count + 2 * margin
        let pixels = side * moduleSize
        var path = ""
        for (y, row) in matrix.enumerated() {
            var x = 0
            while x < row.count {
                guard row[x] else {
                    x += 1
                    continue
                }
                let start = x
                while x < row.count && row[x] { x += 1 }
                let run = x - start
                path += "M\(start + margin) \(y + margin)h\(run)v1h-\(run)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    /// The symbol's module matrix without quiet zone, `[row][column]`, `true` for dark.
    static func modules(for text: String) throws -> [[Bool]] {
        guard !text.isEmpty, !text.utf8.contains(0) else { throw RenderError.invalidPayload }
        let symbol = try Symbol(text)
        return symbol.matrix
    }

    /// Owns one `QRcode*` from libqrencode.
    private final class Symbol {
        private let code: UnsafeMutablePointer<QRcode>

        init(_ text: String) throws {
            errno = 0
            // Version 0: the smallest that fits. QR_MODE_8 hint with case sensitivity lets
            // libqrencode pick numeric/alphanumeric segments where they are shorter, bytes elsewhere.
            guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
                throw errno == ERANGE ? RenderError.payloadTooLong : RenderError.encodingFailed(errno)
            }
            self.code = code
        }

        deinit { QRcode_free(code) }

        var matrix: [[Bool]] {
            let width = Int(code.pointee.width)
            guard width > 0, let data = code.pointee.data else { return [] }
            // Bit 0 of each byte is the module colour; the other bits describe its role.
            return (0..<width).map { y in (0..<width).map { x in data[y * width + x] & 1 == 1 } }
        }
    }
}
