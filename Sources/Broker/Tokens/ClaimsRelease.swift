import JSON
import Storage

/// Which user claims the broker releases (DESIGN.md privacy rules): by scope, plus those named
/// in a `claims` request; the citizen ID (`pid`) only under its own scope.
public enum ClaimsRelease {
    /// Claims of the `profile` scope (OIDC Core §5.4, with §5.2 language tags).
    public static let profileClaims: Set<String> = [
        "given_name", "family_name", "name", "given_name#th", "given_name#en", "family_name#th", "family_name#en",
        "name#th", "birthdate",
    ]

    /// The claims of `citizen` released for `scopes` and the individually `requested` names.
    public static func claims(of citizen: CitizenRecord, scopes: some Sequence<String>, requested: Set<String>) -> [String: JSONValue] {
        let scopes = Set(scopes)
        var names = requested.intersection(profileClaims)
        if scopes.contains("profile") { names.formUnion(profileClaims) }
        // The citizen ID leaves the broker only under the pid scope, whatever else is asked.
        if scopes.contains("pid") { names.insert("pid") }
        var out: [String: JSONValue] = [:]
        for name in names {
            if let value = value(name, of: citizen) { out[name] = .string(value) }
        }
        return out
    }

    static func value(_ name: String, of citizen: CitizenRecord) -> String? {
        switch name {
        case "given_name", "given_name#en": citizen.givenNameEN
        case "family_name", "family_name#en": citizen.familyNameEN
        case "name": "\(citizen.givenNameEN) \(citizen.familyNameEN)"
        case "given_name#th": citizen.givenNameTH
        case "family_name#th": citizen.familyNameTH
        case "name#th": "\(citizen.givenNameTH) \(citizen.familyNameTH)"
        case "birthdate": citizen.birthdate
        case "pid": citizen.id
        default: nil
        }
    }

    /// The levels an `acr` value of ours names (`phisut:ial-3:aal-2.2`).
    public static func assurance(acr: String) -> Assurance? {
        guard let requirement = Assurance.Requirement(acr: acr), let ial = requirement.minimumIAL, let aal = requirement.minimumAAL else { return nil }
        return Assurance(ial: ial, aal: aal)
    }
}
