import JOSE

extension [JWK] {
    /// The key of a partner's set (a client, an upstream, the federation operator) that verifies
    /// a JWS with this header: the one its `kid` names, else the only key that is not for
    /// encryption (RFC 7517 §4.2) and allows the `alg`. No key, or several, is `keyNotFound`.
    func verificationKey(for header: JWSHeader) throws(JOSEError) -> JWK {
        if let kid = header.kid {
            guard let key = first(where: { $0.kid == kid }) else { throw .keyNotFound }
            return key
        }
        let candidates = filter { $0.use != "enc" && $0.allowedAlgorithms.contains(header.alg) }
        guard candidates.count == 1, let key = candidates.first else { throw .keyNotFound }
        return key
    }
}
