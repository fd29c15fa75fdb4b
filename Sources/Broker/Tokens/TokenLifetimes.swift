/// How long each kind of token lives (Issue 4 design): short access tokens, hour-long ID tokens,
/// month-long rotating refresh tokens.
public struct TokenLifetimes: Sendable {
    public var accessToken: Int64 = 600
    public var idToken: Int64 = 3_600
    public var refreshToken: Int64 = 30 * 86_400

    public init() {}
}
