import Foundation
import JOSE
import JSON
import Storage

/// Authenticates devices by their signed assertions and manages their lifecycle.
///
/// A device authenticates each call with `Authorization: Bearer <JWT>` signed by its enrolled
/// key: header `kid` = device id, claims `iss` = `sub` = device id, `aud` = the issuer, `iat`,
/// `exp` (at most 5 minutes after `iat`) and a single-use `jti` (CONTRACT.md).
public struct DeviceService: Sendable {
    let store: any Store
    let clock: any Clock
    let audit: Auditor
    let configuration: BrokerConfiguration

    /// Verifies a device assertion and returns the active device it names.
    public func authenticate(bearer token: String?) throws(OAuthError) -> DeviceRecord {
        guard let token, !token.isEmpty else { throw .invalidToken("a device assertion is required") }
        let unverified: JSONValue
        do {
            unverified = try JWS.decodeUnverified(token).header
        } catch {
            throw .invalidToken("the device assertion is not a compact JWS")
        }
        guard let deviceID = unverified["kid"]?.stringValue else {
            throw .invalidToken("the device assertion header has no kid")
        }
        let device: DeviceRecord
        do {
            device = try store.device(id: deviceID)
        } catch {
            throw .invalidToken("unknown device")
        }
        guard device.revokedAt == nil else { throw .invalidToken("this device has been revoked") }
        let now = clock.now
        let claims: [String: JSONValue]
        do {
            let key = try JWK(jsonText: device.publicKeyJWK)
            var validator = JWTClaimsValidator(now: now)
            validator.issuer = deviceID
            validator.audience = configuration.issuer
            validator.leeway = configuration.clockSkew
            validator.requireIssuedAt = true
            validator.maxLifetime = configuration.deviceAssertionMaxLifetime
            claims = try JWT.verify(token, allowed: EnrollmentService.deviceAlgorithms, validator: validator) { _ throws(JOSEError) in key }.claims
        } catch {
            audit.record("device.authentication", by: .device(deviceID), citizen: device.citizenID, success: false, detail: "\(error)")
            throw .invalidToken("the device assertion is not valid", debug: "\(error)")
        }
        guard claims["sub"]?.stringValue == deviceID else { throw .invalidToken("the device assertion's sub must be the device id") }
        guard let jti = claims["jti"]?.stringValue, !jti.isEmpty, jti.utf8.count <= 256 else {
            throw .invalidToken("the device assertion has no jti")
        }
        let expiry = (claims["exp"]?.intValue ?? now) + configuration.clockSkew
        do {
            try store.useNonce("device:\(deviceID):\(jti)", expiresAt: expiry)
        } catch StorageError.alreadyExists {
            audit.record("device.authentication", by: .device(deviceID), citizen: device.citizenID, success: false, detail: "replayed jti")
            throw .invalidToken("the device assertion was already used")
        } catch {
            throw .serverError(debug: "nonce store: \(error)")
        }
        return device
    }

    /// A device revokes itself; a device may not revoke another.
    public func revoke(id: String, by device: DeviceRecord) throws {
        guard id == device.id else { throw OAuthError("forbidden", "a device may revoke only itself", status: 403) }
        try store.revokeDevice(id: id, at: clock.now)
        audit.record("device.revoked", by: .device(device.id), citizen: device.citizenID, detail: "self")
    }

    /// The devices of a citizen, for an officer (lost phone).
    public func devices(citizenID: String, officer: OfficerRecord) throws -> [DeviceRecord] {
        let id = try CitizenID.parse(citizenID)
        audit.record("devices.listed", by: .officer(officer), citizen: id.digits)
        return try store.devices(citizenID: id.digits)
    }

    /// An officer revokes one device of a citizen, or all of them when `deviceID` is nil.
    @discardableResult
    public func revokeByOfficer(citizenID: String, deviceID: String?, officer: OfficerRecord) throws -> [DeviceRecord] {
        let id = try CitizenID.parse(citizenID)
        let now = clock.now
        let targets = try store.devices(citizenID: id.digits).filter { $0.revokedAt == nil && (deviceID == nil || $0.id == deviceID) }
        if let deviceID, targets.isEmpty {
            throw OAuthError.notFound("no active device \(deviceID) for this citizen")
        }
        try store.transaction { tx in
            for device in targets { try tx.revokeDevice(id: device.id, at: now) }
        }
        for device in targets {
            audit.record("device.revoked", by: .officer(officer), citizen: id.digits, detail: device.id)
        }
        return try store.devices(citizenID: id.digits)
    }
}
