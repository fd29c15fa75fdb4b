import Foundation
import JOSE

/// Time as the domain sees it: injected, so tests can move it.
public protocol Clock: Sendable {
    /// Seconds since the Unix epoch.
    var now: Int64 { get }
}

public struct SystemClock: Clock {
    public init() {}
    public var now: Int64 { Int64(Date().timeIntervalSince1970) }
}

/// Randomness as the domain sees it: injected for the same reason.
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

public struct SystemRandom: RandomSource {
    public init() {}
    public func bytes(_ count: Int) -> [UInt8] { Crypto.randomBytes(count) }
}

extension RandomSource {
    /// A base64url token carrying `bytes` × 8 bits of randomness.
    func token(bytes: Int = 32) -> String { Base64URL.encode(self.bytes(bytes)) }

    /// An identifier: a short prefix naming its kind, then 128 random bits.
    func identifier(_ prefix: String) -> String { prefix + "_" + Base64URL.encode(bytes(16)) }
}

/// Secrets are stored only as their SHA-256, hex-encoded: a leaked table reveals no token.
enum SecretHash {
    static func of(_ secret: String) -> String {
        Crypto.sha256(Array(secret.utf8)).map { hexDigits[Int($0 >> 4)] + hexDigits[Int($0 & 0x0f)] }.joined()
    }
    private static let hexDigits = (0..<16).map { String($0, radix: 16) }
}
