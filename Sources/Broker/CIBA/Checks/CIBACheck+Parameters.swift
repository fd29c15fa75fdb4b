extension CIBACheck {
    /// The longest `binding_message`, in characters: it must fit on the phone's screen.
    static let maxBindingMessageLength = 64

    /// `binding_message` (CIBA Core §7.1): shown on the phone and on the client's device so the
    /// citizen can tell the two belong together. Short and printable: no control or format
    /// characters (no line breaks, no bidirectional overrides that could disguise the text).
    static let bindingMessage = CIBACheck("binding_message") { context throws(OAuthError) in
        guard let message = context.value("binding_message") else { return }
        guard message.count <= maxBindingMessageLength else {
            throw .invalidBindingMessage("binding_message must be at most \(maxBindingMessageLength) characters")
        }
        for scalar in message.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                throw .invalidBindingMessage("binding_message must contain printable characters only")
            default: continue
            }
        }
        context.bindingMessage = message
    }

    /// `requested_expiry` (CIBA Core §7.1): a positive integer of seconds, capped at
    /// `cibaMaxExpiry`; without it the request lives `cibaDefaultExpiry` seconds.
    static let requestedExpiry = CIBACheck("requested_expiry") { context throws(OAuthError) in
        guard let value = context.value("requested_expiry") else { return }
        guard value.utf8.count <= 10, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Int64(value), seconds > 0 else {
            throw .invalidRequest("requested_expiry must be a positive integer number of seconds")
        }
        context.expiresIn = min(seconds, context.configuration.cibaMaxExpiry)
    }

    /// `client_notification_token` (CIBA Core §7.1): required in ping mode; "The length of the
    /// token MUST NOT exceed 1024 characters and it MUST conform to the syntax for Bearer
    /// credentials as defined in Section 2.1 of [RFC6750]". Ignored in poll mode.
    static let clientNotificationToken = CIBACheck("client_notification_token") { context throws(OAuthError) in
        guard context.client.backchannelTokenDeliveryMode == "ping" else { return }
        guard let token = context.value("client_notification_token") else {
            throw .invalidRequest("client_notification_token is required in ping mode")
        }
        guard token.utf8.count <= 1_024, isB64Token(token) else {
            throw .invalidRequest("client_notification_token must be at most 1024 characters of bearer-token syntax (RFC 6750 §2.1)")
        }
        context.clientNotificationToken = token
    }

    /// RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
    static func isB64Token(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let body = bytes.prefix { $0 != UInt8(ascii: "=") }
        guard !body.isEmpty, bytes[body.count...].allSatisfy({ $0 == UInt8(ascii: "=") }) else { return false }
        return body.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"): true
            default: false
            }
        }
    }
}
