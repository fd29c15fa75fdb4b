/// Identity and authenticator assurance levels after Thailand's digital-ID guideline, and the
/// `acr` values that name them.
///
/// An `acr` value names an IAL, an AAL, or both: `phisut:ial-2.3`, `phisut:aal-2.2`,
/// `phisut:ial-3:aal-2.2`. Asking for one means "at least this". The ID token's `acr` always
/// names both levels actually reached, and the claims `ial` and `aal` repeat them.
public struct Assurance: Sendable, Equatable, CustomStringConvertible {
    /// IAL 1.1 … 3, weakest first.
    public static let identityLevels = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3"]
    /// AAL 1 … 3, weakest first.
    public static let authenticatorLevels = ["1", "2.1", "2.2", "3"]

    /// A device key in the phone, unlocked by the citizen's passcode: multi-factor cryptographic
    /// software (something you have, something you know).
    public static let deviceApprovalAAL = "2.2"
    /// RFC 8176 methods of a device approval: software-secured key, PIN, multi-factor.
    public static let deviceApprovalAMR = ["swk", "pin", "mfa"]

    public let ial: String
    public let aal: String

    public init(ial: String, aal: String) {
        self.ial = ial
        self.aal = aal
    }

    /// The `acr` value naming both levels.
    public var acr: String { "phisut:ial-\(ial):aal-\(aal)" }
    public var description: String { acr }

    /// Every `acr` value the broker understands, for discovery's `acr_values_supported`.
    public static var supportedACRValues: [String] {
        identityLevels.map { "phisut:ial-\($0)" } + authenticatorLevels.map { "phisut:aal-\($0)" }
            + identityLevels.flatMap { ial in authenticatorLevels.map { "phisut:ial-\(ial):aal-\($0)" } }
    }

    /// A requested `acr` value: minimum levels, either of which may be absent. Nil for a value
    /// the broker does not know.
    public struct Requirement: Sendable, Equatable {
        public let minimumIAL: String?
        public let minimumAAL: String?

        public init?(acr: String) {
            let parts = acr.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3, parts[0] == "phisut" else { return nil }
            var ial: String?
            var aal: String?
            for part in parts.dropFirst() {
                if part.hasPrefix("ial-"), ial == nil, aal == nil, Assurance.identityLevels.contains(String(part.dropFirst(4))) {
                    ial = String(part.dropFirst(4))
                } else if part.hasPrefix("aal-"), aal == nil, Assurance.authenticatorLevels.contains(String(part.dropFirst(4))) {
                    aal = String(part.dropFirst(4))
                } else {
                    return nil
                }
            }
            minimumIAL = ial
            minimumAAL = aal
        }

        /// Whether `reached` meets this requirement.
        public func isMet(by reached: Assurance) -> Bool {
            Assurance.rank(reached.ial, in: Assurance.identityLevels) >= Assurance.rank(minimumIAL, in: Assurance.identityLevels)
                && Assurance.rank(reached.aal, in: Assurance.authenticatorLevels) >= Assurance.rank(minimumAAL, in: Assurance.authenticatorLevels)
        }
    }

    /// The first of `acrValues` (in the RP's order of preference) that `reached` meets; nil when
    /// the list is empty. Throws `unmet_authentication_requirements` when none can be met — the
    /// broker never silently downgrades.
    public static func satisfy(_ acrValues: [String], with reached: Assurance) throws(OAuthError) -> Requirement? {
        guard !acrValues.isEmpty else { return nil }
        for value in acrValues {
            if let requirement = Requirement(acr: value), requirement.isMet(by: reached) { return requirement }
        }
        throw OAuthError(
            "unmet_authentication_requirements",
            "the requested acr_values cannot be met: this citizen's identity and authenticator reach \(reached.acr)")
    }

    private static func rank(_ level: String?, in levels: [String]) -> Int {
        guard let level else { return -1 }
        return levels.firstIndex(of: level) ?? -1
    }
}
