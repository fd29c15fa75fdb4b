import Foundation
import Testing
@testable import BrokerHTTP

@Suite("QR code SVG")
struct QRCodeSVGTests {
    static let url = "https://phisut.example/device?user_code=WDJB-MJHT"

    @Test("the SVG is standalone and compact")
    func wellFormed() throws {
        let svg = try QRCodeSVG.render(Self.url)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains("viewBox=\"0 0 "))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains("fill=\"#fff\""))
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(svg.components(separatedBy: "<rect").count == 2)
    }

    @Test("width and height are side × moduleSize with the quiet zone")
    func dimensions() throws {
        let side = try QRCodeSVG.modules(for: "HELLO").count
        #expect(side == 21)  // version 1
        let svg = try QRCodeSVG.render("HELLO", moduleSize: 3, margin: 2)
        #expect(svg.contains("width=\"75\" height=\"75\" viewBox=\"0 0 25 25\""))
    }

    @Test("the symbol grows with the payload", arguments: [(10, 200), (200, 1000), (1000, 2000)])
    func growsWithPayload(_ short: Int, _ long: Int) throws {
        let small = try QRCodeSVG.render(String(repeating: "a", count: short))
        let large = try QRCodeSVG.render(String(repeating: "a", count: long))
        #expect(try viewBoxSide(small) < viewBoxSide(large))
    }

    @Test("rendering is deterministic and case-sensitive")
    func deterministic() throws {
        #expect(try QRCodeSVG.render(Self.url) == QRCodeSVG.render(Self.url))
        #expect(try QRCodeSVG.modules(for: "abcdef") != QRCodeSVG.modules(for: "ABCDEF"))
    }

    @Test("the three finder patterns sit at the top-left, top-right and bottom-left corners",
          arguments: ["HELLO", url, String(repeating: "ภาษาไทย ", count: 40)])
    func finderPatterns(_ text: String) throws {
        let m = try QRCodeSVG.modules(for: text)
        let n = m.count
        #expect(n >= 21 && (n - 17) % 4 == 0)  // 4·version + 17
        #expect(m.allSatisfy { $0.count == n })
        func isFinder(_ top: Int, _ left: Int) -> Bool {
            (0..<7).allSatisfy { dy in
                (0..<7).allSatisfy { dx in
                    m[top + dy][left + dx] == (max(abs(dy - 3), abs(dx - 3)) != 2)  // dark ring, light ring, dark 3×3
                }
            }
        }
        #expect(isFinder(0, 0) && isFinder(0, n - 7) && isFinder(n - 7, 0))
        #expect(!isFinder(n - 7, n - 7))
        // Separators around the finders are light.
        for i in 0..<8 {
            #expect(!m[7][i] && !m[i][7] && !m[7][n - 1 - i] && !m[n - 8][i])
        }
        // Timing patterns alternate between the finders.
        for i in 8..<(n - 8) {
            #expect(m[6][i] == (i % 2 == 0) && m[i][6] == (i % 2 == 0))
        }
    }

    @Test("the format information says error-correction level M, and is a valid BCH code word",
          arguments: ["HELLO", url])
    func formatInformation(_ text: String) throws {
        let m = try QRCodeSVG.modules(for: text)
        let n = m.count
        // ISO/IEC 18004 §7.9: bit i of the 15-bit word, least significant first.
        let nearTopLeft: [(Int, Int)] = [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8),
                                         (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)]
        let split: [(Int, Int)] = (0..<8).map { (8, n - 1 - $0) } + (0..<7).map { (n - 7 + $0, 8) }
        func word(_ positions: [(Int, Int)]) -> Int {
            positions.enumerated().reduce(0) { $0 | (m[$1.element.0][$1.element.1] ? 1 << $1.offset : 0) }
        }
        let raw = word(nearTopLeft)
        #expect(raw == word(split), "both copies agree")
        let format = raw ^ 0x5412
        let data = format >> 10
        var remainder = data << 10
        for bit in stride(from: 14, through: 10, by: -1) where remainder & (1 << bit) != 0 {
            remainder ^= 0x537 << (bit - 10)
        }
        #expect(remainder == format & 0x3ff, "BCH(15,5) check bits")
        #expect(data >> 3 == 0b00, "level M")
        #expect(m[n - 8][8], "the always-dark module")
    }

    @Test("the path draws exactly the dark modules, offset by the margin")
    func pathMatchesMatrix() throws {
        let margin = 4
        let matrix = try QRCodeSVG.modules(for: Self.url)
        let svg = try QRCodeSVG.render(Self.url, moduleSize: 8, margin: margin)
        let side = matrix.count + 2 * margin
        var drawn = Array(repeating: Array(repeating: false, count: side), count: side)
        let d = try #require(svg.components(separatedBy: " d=\"").last?.components(separatedBy: "\"").first)
        for command in d.split(separator: "M") {
            // "x yhNv1h-Nz"
            let separators: Set<Character> = [" ", "h", "v", "z"]
            let parts = command.split(whereSeparator: separators.contains)
            try #require(parts.count == 5, "subpath \(command)")
            let x = try #require(Int(parts[0])), y = try #require(Int(parts[1])), run = try #require(Int(parts[2]))
            #expect(parts[3] == "1" && parts[4] == "-\(run)")
            for column in x..<(x + run) {
                #expect(!drawn[y][column], "module drawn twice")
                drawn[y][column] = true
            }
        }
        for y in 0..<side {
            for x in 0..<side {
                let inside = (margin..<(side - margin)).contains(y) && (margin..<(side - margin)).contains(x)
                let expected = inside && matrix[y - margin][x - margin]
                #expect(drawn[y][x] == expected)
            }
        }
    }

    @Test("payloads beyond version 40-M are refused")
    func tooLong() {
        #expect(throws: QRCodeSVG.RenderError.payloadTooLong) {
            try QRCodeSVG.render(String(repeating: "x", count: 8000))
        }
    }

    @Test("bad input throws instead of crashing", arguments: [
        ("", 8, 4, QRCodeSVG.RenderError.invalidPayload),
        ("a\u{0}b", 8, 4, .invalidPayload),
        ("ok", 0, 4, .invalidSize),
        ("ok", 8, -1, .invalidSize),
        ("ok", 1000, 4, .invalidSize),
    ])
    func badInput(_ text: String, _ moduleSize: Int, _ margin: Int, _ expected: QRCodeSVG.RenderError) {
        #expect(throws: expected) { try QRCodeSVG.render(text, moduleSize: moduleSize, margin: margin) }
    }

    private func viewBoxSide(_ svg: String) throws -> Int {
        let after = try #require(svg.components(separatedBy: "viewBox=\"0 0 ").last)
        return try #require(Int(after.prefix { $0.isNumber }))
    }
}
