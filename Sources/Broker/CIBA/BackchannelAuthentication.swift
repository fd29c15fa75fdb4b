/// A `/bc-authorize` request (CIBA Core §7.1) as the HTTP layer parsed it: each form parameter
/// once (duplicates are refused there) and the client's credentials, not yet checked.
public struct BackchannelAuthenticationRequest: Sendable {
    public let parameters: [String: String]
    public let credentials: ClientCredentials

    public init(parameters: [String: String], credentials: ClientCredentials) {
        self.parameters = parameters
        self.credentials = credentials
    }
}

/// The successful answer (CIBA Core §7.3).
public struct BackchannelAuthenticationResponse: Sendable, Equatable {
    /// 256 bits, shown once: the broker keeps only its hash.
    public let authReqID: String
    public let expiresIn: Int64
    /// The minimum seconds between polls at the token endpoint.
    public let interval: Int64
}

/// CIBA's identifiers.
public enum CIBA {
    /// The token endpoint's grant type (CIBA Core §10.1).
    public static let grantType = "urn:openid:params:grant-type:ciba"
    /// Token delivery modes the broker implements. Push is left out: FAPI-CIBA §5.2.2 forbids it
    /// (tokens sent to a client endpoint cannot be sender-constrained).
    public static let deliveryModes = ["ping", "poll"]
}
