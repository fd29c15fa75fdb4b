import Broker
import HTTP
import JSON
import Storage

extension BrokerRoutes {
    /// The officer API (CONTRACT.md): bearer officer token on every call.
    func registerOfficerAPI(on router: Router) {
        let broker = self.broker

        router.post("/officer/v1/enrollments", api { request in
            let officer = try broker.officers.authenticate(bearer: request.bearerToken)
            let body = try request.jsonObject()
            let application = try Self.application(from: body)
            let ticket = try broker.enrollment.start(application, by: officer)
            return Responses.json(201, Self.ticketJSON(ticket))
        })

        router.get("/officer/v1/enrollments/{id}/qr.svg", api { request in
            let officer = try broker.officers.authenticate(bearer: request.bearerToken)
            let payload = try broker.enrollment.qrPayload(enrollmentID: request.pathParameters["id"] ?? "", officer: officer)
            return try Self.svg(payload)
        })

        router.get("/officer/v1/citizens/{citizen_id}/devices", api { request in
            let officer = try broker.officers.authenticate(bearer: request.bearerToken)
            let devices = try broker.devices.devices(citizenID: request.pathParameters["citizen_id"] ?? "", officer: officer)
            return Responses.json(200, ["devices": .array(devices.map(Self.deviceJSON))])
        })

        // Lost phone: revoke every device of the citizen, or one by id.
        router.delete("/officer/v1/citizens/{citizen_id}/devices", api { request in
            let officer = try broker.officers.authenticate(bearer: request.bearerToken)
            let devices = try broker.devices.revokeByOfficer(
                citizenID: request.pathParameters["citizen_id"] ?? "", deviceID: nil, officer: officer)
            return Responses.json(200, ["devices": .array(devices.map(Self.deviceJSON))])
        })
        router.delete("/officer/v1/citizens/{citizen_id}/devices/{device_id}", api { request in
            let officer = try broker.officers.authenticate(bearer: request.bearerToken)
            let devices = try broker.devices.revokeByOfficer(
                citizenID: request.pathParameters["citizen_id"] ?? "", deviceID: request.pathParameters["device_id"],
                officer: officer)
            return Responses.json(200, ["devices": .array(devices.map(Self.deviceJSON))])
        })
    }

    static func application(from body: JSONValue) throws(OAuthError) -> EnrollmentApplication {
        for name in ["given_name", "family_name"] {
            if let member = body[name], member.objectValue == nil {
                throw .invalidRequest("\(name) must be an object with th and en")
            }
        }
        return EnrollmentApplication(
            citizenID: try body.string("citizen_id"),
            givenNameTH: try body["given_name"]?.string("th"), givenNameEN: try body["given_name"]?.string("en"),
            familyNameTH: try body["family_name"]?.string("th"), familyNameEN: try body["family_name"]?.string("en"),
            birthdate: try body.string("birthdate"), cardLaserCode: try body.string("card_laser_code"))
    }

    static func ticketJSON(_ ticket: EnrollmentTicket) -> JSONValue {
        [
            "enrollment_id": .string(ticket.enrollmentID),
            "enrollment_code": .string(ticket.code),
            "qr_payload": .string(ticket.qrPayload),
            "expires_at": .int(ticket.expiresAt),
        ]
    }

    static func deviceJSON(_ device: DeviceRecord) -> JSONValue {
        var value: [String: JSONValue] = [
            "device_id": .string(device.id),
            "name": .string(device.name),
            "created_at": .int(device.createdAt),
            "terms_version": .string(device.termsVersion),
            "status": .string(device.revokedAt == nil ? "active" : "revoked"),
        ]
        if let revokedAt = device.revokedAt { value["revoked_at"] = .int(revokedAt) }
        return .object(value)
    }

    static func svg(_ payload: String) throws -> HTTPResponse {
        let svg = try QRCodeSVG.render(payload)
        var response = HTTPResponse.text(200, svg, contentType: "image/svg+xml")
        response.headers["Cache-Control"] = "no-store"
        return response
    }
}
