import JSON

extension AuthorizationCheck {
    /// The `claims` request parameter (OIDC Core §5.5): a JSON object whose members
    /// `userinfo` and `id_token` are objects mapping claim names to null or to an object.
    static let claims = AuthorizationCheck("claims") { context throws(OAuthError) in
        guard let text = try context.parameters.single("claims") else { return }
        guard text.utf8.count <= 4_096 else { throw .invalidRequest("claims is longer than 4096 bytes") }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Array(text.utf8), maxDepth: 8)
        } catch {
            throw .invalidRequest("claims is not valid JSON")
        }
        guard let object = value.objectValue else { throw .invalidRequest("claims must be a JSON object") }
        for (member, requests) in object {
            guard member == "userinfo" || member == "id_token" else {
                throw .invalidRequest("claims may only have the members userinfo and id_token")
            }
            guard let entries = requests.objectValue else { throw .invalidRequest("claims.\(member) must be a JSON object") }
            for (name, entry) in entries where !entry.isNull && entry.objectValue == nil {
                throw .invalidRequest("claims.\(member).\(name) must be null or a JSON object")
            }
        }
        context.claimsRequest = value
        context.claims = value.serializedString()
    }
}
