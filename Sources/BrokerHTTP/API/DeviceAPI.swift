import Broker
import HTTP
import JSON
import Storage

extension BrokerRoutes {
    /// The device API (CONTRACT.md): terms and enrollment are open; the rest needs a device
    /// assertion.
    func registerDeviceAPI(on router: Router) {
        let broker = self.broker
        let terms = broker.terms.current
        let termsDocument = JSONValue.object([
            "version": .string(terms.version),
            "text": ["th": .string(terms.textTH), "en": .string(terms.textEN)],
        ]).serialized()

        router.get("/device/v1/terms", execution: .inline) { _ in .json(200, termsDocument) }

        router.post("/device/v1/enroll", api { request in
            let body = try request.jsonObject()
            if let key = body["device_key"], key.objectValue == nil {
                throw OAuthError.invalidRequest("device_key must be a JWK object")
            }
            let device = try broker.enrollment.enrollDevice(DeviceEnrollmentRequest(
                enrollmentCode: try body.string("enrollment_code"), citizenID: try body.string("citizen_id"),
                termsVersion: try body.string("terms_version"), deviceName: try body.string("device_name"),
                deviceKey: body["device_key"], pushURL: try body.string("push_url"), proof: try body.string("proof")))
            return Responses.json(201, [
                "device_id": .string(device.id), "citizen_id": .string(device.citizenID), "status": "enrolled",
            ])
        })

        // Pending approvals arrive with the login issue; until then the list is empty.
        router.get("/device/v1/requests", api { request in
            _ = try broker.devices.authenticate(bearer: request.bearerToken)
            return Responses.json(200, ["requests": []])
        })

        router.delete("/device/v1/devices/{device_id}", api { request in
            let device = try broker.devices.authenticate(bearer: request.bearerToken)
            try broker.devices.revoke(id: request.pathParameters["device_id"] ?? "", by: device)
            return Responses.json(200, ["device_id": .string(device.id), "status": "revoked"])
        })
    }
}
