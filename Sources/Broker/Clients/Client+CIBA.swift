import JOSE

extension Client {
    /// `backchannel_authentication_request_signing_alg` (CIBA Core §4), as the validator
    /// checked it: the client signs every authentication request with it. Nil when the client
    /// registered none.
    public var backchannelAuthenticationRequestSigningAlg: JWSAlgorithm? {
        metadata["backchannel_authentication_request_signing_alg"]?.stringValue.flatMap(JWSAlgorithm.init(rawValue:))
    }

    /// Whether the client may start CIBA requests: confidential and registered for the grant.
    public var usesCIBA: Bool { !isPublic && grantTypes.contains(CIBA.grantType) }
}
