import Foundation
import Storage

/// Registration officers: created by the operator, authenticated by a bearer token that is
/// shown once and stored only as its hash.
public struct OfficerService: Sendable {
    let store: any Store
    let clock: any Clock
    let random: any RandomSource
    let audit: Auditor

    /// Creates an officer and returns it with its bearer token (never stored in clear).
    public func add(name: String, officeCode: String) throws -> (officer: OfficerRecord, token: String) {
        let name = name.trimmingCharacters(in: .whitespaces)
        let office = officeCode.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else { throw OAuthError.invalidRequest("officer name must be 1 to 200 characters") }
        guard Self.isValidOfficeCode(office) else {
            throw OAuthError.invalidRequest("office code must be 1 to 32 letters, digits, '-' or '_'")
        }
        let token = "off_" + random.token()
        let officer = OfficerRecord(
            id: random.identifier("officer"), name: name, officeCode: office, tokenHash: SecretHash.of(token),
            createdAt: clock.now, disabledAt: nil)
        try store.addOfficer(officer)
        audit.record("officer.created", by: .operatorCLI(), detail: "\(officer.id) office \(office)")
        return (officer, token)
    }

    public func list() throws -> [OfficerRecord] { try store.officers() }

    public func disable(id: String) throws {
        do {
            try store.disableOfficer(id: id, at: clock.now)
        } catch StorageError.notFound {
            throw OAuthError.notFound("no officer with id \(id)")
        }
        audit.record("officer.disabled", by: .operatorCLI(), detail: id)
    }

    /// Resolves a bearer token to an enabled officer, or throws `invalid_token` (401).
    public func authenticate(bearer token: String?) throws(OAuthError) -> OfficerRecord {
        guard let token, !token.isEmpty else { throw .invalidToken("an officer bearer token is required") }
        let officer: OfficerRecord
        do {
            officer = try store.officer(tokenHash: SecretHash.of(token))
        } catch StorageError.notFound {
            audit.record("officer.authentication", by: .anonymous, success: false, detail: "unknown token")
            throw .invalidToken("the officer token is not valid")
        } catch {
            throw .serverError(debug: "officer lookup: \(error)")
        }
        guard officer.disabledAt == nil else {
            audit.record("officer.authentication", by: .officer(officer), success: false, detail: "disabled officer")
            throw .invalidToken("the officer token is not valid")
        }
        return officer
    }

    /// An enabled officer by id (officer-desk sessions), or `invalid_token`.
    public func active(id: String) throws(OAuthError) -> OfficerRecord {
        guard let officer = try? store.officer(id: id), officer.disabledAt == nil else {
            throw .invalidToken("the officer is unknown or disabled")
        }
        return officer
    }

    static func isValidOfficeCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 32 && code.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_"
        }
    }
}
