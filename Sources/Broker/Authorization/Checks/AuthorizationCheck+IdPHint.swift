extension AuthorizationCheck {
    /// `idp_hint` (and Keycloak's `kc_idp_hint`, for relying parties written against it): the
    /// upstream identity provider to send the citizen to, skipping the choice. Like
    /// `login_hint` it is only a hint: a value that cannot be an IdP id is dropped, and an id no
    /// upstream has is ignored when the login page opens.
    static let idpHint = AuthorizationCheck("idp_hint") { context throws(OAuthError) in
        var value = try context.parameters.single("idp_hint")
        if value == nil { value = try context.parameters.single("kc_idp_hint") }
        guard let value, value.utf8.count <= 64,
              value.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) else { return }
        context.idpHint = value
    }
}
