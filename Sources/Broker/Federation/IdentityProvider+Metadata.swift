import Foundation
import JOSE
import JSON

extension IdentityProvider {
    /// The members a file may hold; any other name is refused so that a typo cannot silently
    /// drop a setting.
    static let fileMembers: Set<String> = [
        "id", "kind", "issuer", "display_name", "logo_uri", "client_id", "token_endpoint_auth_method",
        "client_secret_env", "private_key_file", "scopes", "claims", "acr_map", "default_assurance",
    ]
    /// Broker fields a `claims` mapping may name; `citizen_id` is required.
    static let mappableFields: Set<String> = [
        "citizen_id", "given_name", "family_name", "given_name_th", "given_name_en", "family_name_th", "family_name_en",
        "birthdate",
    ]

    /// Validates one `Metadata/idps/*.json` document. Every refusal is a `MetadataError` naming
    /// `path` and the field.
    ///
    /// - Parameters:
    ///   - environment: where `client_secret_env` is looked up (the process environment at start).
    ///   - developmentBroker: whether `http` loopback issuers and logos are acceptable.
    ///   - kinds: the connector kinds the registry knows.
    static func parse(_ document: JSONValue, path: String, environment: [String: String], developmentBroker: Bool,
                      kinds: Set<String>) throws(MetadataError) -> IdentityProvider {
        func refuse(_ field: String?, _ message: String) -> MetadataError { MetadataError(file: path, field: field, message: message) }
        guard let object = document.objectValue else { throw refuse(nil, "must be a JSON object") }
        if let unknown = object.keys.sorted().first(where: { !fileMembers.contains($0) }) {
            throw refuse(unknown, "is not a known member of an identity provider file")
        }
        func string(_ name: String, required: Bool = true) throws(MetadataError) -> String? {
            guard let value = object[name], !value.isNull else {
                if required { throw refuse(name, "is required") }
                return nil
            }
            guard let text = value.stringValue, !text.isEmpty else { throw refuse(name, "must be a non-empty string") }
            return text
        }

        let id = try string("id") ?? ""
        guard id.utf8.count <= 64, id.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) else {
            throw refuse("id", "must match [a-z0-9-]+ (at most 64 characters)")
        }
        let fileName = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard fileName == id else { throw refuse("id", "must equal the file's name (\(fileName))") }
        let kind = try string("kind", required: false) ?? "oidc"
        guard kinds.contains(kind) else { throw refuse("kind", "must be one of \(kinds.sorted().joined(separator: ", "))") }

        let issuer = try string("issuer") ?? ""
        guard Self.isAcceptableURL(issuer, developmentBroker: developmentBroker), !issuer.hasSuffix("/"),
              let url = URL(string: issuer), url.query == nil, url.fragment == nil else {
            throw refuse("issuer", "must be an https URL without query, fragment or trailing '/' (http only on loopback for a development broker)")
        }
        guard let names = object["display_name"]?.objectValue, let th = names["th"]?.stringValue, !th.isEmpty,
              let en = names["en"]?.stringValue, !en.isEmpty else {
            throw refuse("display_name", "must be an object with non-empty \"th\" and \"en\" strings")
        }
        let logo = try string("logo_uri", required: false)
        if let logo, !Self.isAcceptableURL(logo, developmentBroker: developmentBroker) {
            throw refuse("logo_uri", "must be an https URL")
        }
        let clientID = try string("client_id") ?? ""

        let method = try string("token_endpoint_auth_method") ?? ""
        let authentication: UpstreamClientAuthentication
        switch method {
        case "client_secret_basic", "client_secret_post":
            guard let variable = try string("client_secret_env") else { throw refuse("client_secret_env", "is required") }
            guard let secret = environment[variable], !secret.isEmpty else {
                throw refuse("client_secret_env", "names the environment variable \(variable), which is not set")
            }
            authentication = method == "client_secret_basic" ? .clientSecretBasic(secret: secret) : .clientSecretPost(secret: secret)
        case "private_key_jwt":
            guard let file = try string("private_key_file") else { throw refuse("private_key_file", "is required") }
            let keyPath = file.hasPrefix("/") ? file : URL(fileURLWithPath: path).deletingLastPathComponent().path + "/" + file
            guard let pem = try? String(contentsOfFile: keyPath, encoding: .utf8) else {
                throw refuse("private_key_file", "cannot read \(keyPath)")
            }
            let key: JWK
            do { key = try JWK(pem: pem) } catch { throw refuse("private_key_file", "is not a usable PEM private key: \(error)") }
            guard key.isPrivate else { throw refuse("private_key_file", "holds a public key; a private key is needed") }
            let algorithm: JWSAlgorithm = switch key.keyType {
            case .rsa: .rs256
            case .ec: .es256
            case .okp: .edDSA
            }
            authentication = .privateKeyJWT(key: key, algorithm: algorithm)
        default:
            throw refuse("token_endpoint_auth_method", "must be client_secret_basic, client_secret_post or private_key_jwt")
        }

        guard let scopeValues = object["scopes"]?.arrayValue else { throw refuse("scopes", "is required: an array of strings") }
        let scopes = scopeValues.compactMap(\.stringValue)
        guard scopes.count == scopeValues.count, scopes.contains("openid"),
              scopes.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
            throw refuse("scopes", "must be an array of scope names that includes openid")
        }

        guard let claimObject = object["claims"]?.objectValue else { throw refuse("claims", "is required: broker field -> upstream claim") }
        var claims: [String: String] = [:]
        for (field, value) in claimObject {
            guard mappableFields.contains(field) else {
                throw refuse("claims.\(field)", "is not a broker field; use \(mappableFields.sorted().joined(separator: ", "))")
            }
            guard let claim = value.stringValue, !claim.isEmpty else { throw refuse("claims.\(field)", "must name an upstream claim") }
            claims[field] = claim
        }
        guard claims["citizen_id"] != nil else { throw refuse("claims.citizen_id", "is required: the claim carrying the citizen ID") }

        var acrMap: [String: Assurance] = [:]
        if let map = object["acr_map"], !map.isNull {
            guard let entries = map.objectValue else { throw refuse("acr_map", "must be an object") }
            for (acr, levels) in entries {
                acrMap[acr] = try Self.assurance(levels, field: "acr_map.\(acr)", path: path)
            }
        }
        var fallback = Assurance(ial: Assurance.identityLevels[0], aal: Assurance.authenticatorLevels[0])
        if let levels = object["default_assurance"], !levels.isNull {
            fallback = try Self.assurance(levels, field: "default_assurance", path: path)
        }
        return IdentityProvider(
            id: id, kind: kind, issuer: issuer, displayNameTH: th, displayNameEN: en, logoURI: logo, clientID: clientID,
            authentication: authentication, scopes: scopes, claims: claims, acrMap: acrMap, defaultAssurance: fallback)
    }

    private static func assurance(_ value: JSONValue, field: String, path: String) throws(MetadataError) -> Assurance {
        guard let ial = value["ial"]?.stringValue, Assurance.identityLevels.contains(ial) else {
            throw MetadataError(file: path, field: field + ".ial", message: "must be one of \(Assurance.identityLevels.joined(separator: ", "))")
        }
        guard let aal = value["aal"]?.stringValue, Assurance.authenticatorLevels.contains(aal) else {
            throw MetadataError(file: path, field: field + ".aal", message: "must be one of \(Assurance.authenticatorLevels.joined(separator: ", "))")
        }
        return Assurance(ial: ial, aal: aal)
    }

    /// https, or http on a loopback host when the broker is a development broker (CONTRACT.md).
    static func isAcceptableURL(_ text: String, developmentBroker: Bool) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return false
        }
        if scheme == "https" { return true }
        let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        return scheme == "http" && developmentBroker && loopback
    }
}
