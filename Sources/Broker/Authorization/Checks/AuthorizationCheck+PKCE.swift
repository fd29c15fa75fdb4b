extension AuthorizationCheck {
    /// PKCE (RFC 7636): only `S256`; required of public clients (RFC 9700 §2.1.1), honoured when
    /// a confidential client sends it. RFC 7636 §4.3: the method "defaults to plain if not
    /// present in the request", so a challenge without a method is a `plain` one, refused too.
    static let pkce = AuthorizationCheck("pkce") { context throws(OAuthError) in
        let challenge = try context.parameters.single("code_challenge")
        let method = try context.parameters.single("code_challenge_method")
        guard let challenge else {
            if method != nil { throw .invalidRequest("code_challenge_method without code_challenge") }
            if context.client?.isPublic == true {
                throw .invalidRequest("PKCE is required: send code_challenge with code_challenge_method=S256")
            }
            return
        }
        guard method == "S256" else {
            throw .invalidRequest("code_challenge_method must be S256 (plain is not allowed)")
        }
        // BASE64URL(SHA-256(verifier)) is always 43 characters of the base64url alphabet.
        guard challenge.utf8.count == 43, challenge.utf8.allSatisfy(isBase64URL) else {
            throw .invalidRequest("code_challenge must be the 43-character base64url SHA-256 of the verifier")
        }
        context.codeChallenge = challenge
        context.codeChallengeMethod = "S256"
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }
}
