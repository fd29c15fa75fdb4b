import JOSE

/// Pairwise subject identifiers (OIDC Core §8.1): the same citizen gets a different, stable
/// `sub` in every sector, so unrelated relying parties cannot correlate them. The salt is
/// generated once per installation and kept in the store; without it the values cannot be
/// recomputed from citizen IDs.
public struct PairwiseSubjects: Sendable {
    let salt: [UInt8]

    public init(salt: [UInt8]) { self.salt = salt }

    /// `sub` for `citizenID` in `sector`: base64url(SHA-256(sector ‖ 0 ‖ citizen ID ‖ 0 ‖ salt)).
    public func subject(citizenID: String, sector: String) -> String {
        Base64URL.encode(Crypto.sha256(Array(sector.utf8) + [0] + Array(citizenID.utf8) + [0] + salt))
    }
}
