extension AuthorizationCheck {
    /// `prompt` (OIDC Core §3.1.2.1): `none`, `login`, `consent`; "If this parameter contains
    /// none with any other value, an error is returned."
    static let prompt = AuthorizationCheck("prompt") { context throws(OAuthError) in
        let values = (try context.parameters.single("prompt") ?? "").split(separator: " ").map(String.init)
        for value in values where !["none", "login", "consent"].contains(value) {
            throw .invalidRequest("prompt value \(value) is not supported")
        }
        let distinct = Set(values)
        if distinct.contains("none"), distinct.count > 1 {
            throw .invalidRequest("prompt=none cannot be combined with other values")
        }
        context.prompt = ["none", "login", "consent"].filter(distinct.contains)
    }

    /// `max_age`: a non-negative number of seconds (OIDC Core §3.1.2.1).
    static let maxAge = AuthorizationCheck("max_age") { context throws(OAuthError) in
        guard let value = try context.parameters.single("max_age") else { return }
        guard value.utf8.count <= 10, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Int64(value) else {
            throw .invalidRequest("max_age must be a non-negative integer")
        }
        context.maxAge = seconds
    }

    /// `acr_values`: values the broker does not know are ignored, but only while at least one is
    /// known. Whether they can be met is decided after login (`Assurance.satisfy`).
    static let acrValues = AuthorizationCheck("acr_values") { context throws(OAuthError) in
        guard let value = try context.parameters.single("acr_values") else { return }
        let values = value.split(separator: " ").map(String.init)
        let known = values.filter { Assurance.Requirement(acr: $0) != nil }
        guard !known.isEmpty else {
            throw .invalidRequest("none of the acr_values is supported; see acr_values_supported")
        }
        context.acrValues = known
    }
}
