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

        // The citizen's pending approvals; with `Accept: text/event-stream`, a stream that first
        // repeats them and then sends each new one (a lost push loses nothing).
        router.get("/device/v1/requests", api { [approvalStreams] request in
            let device = try broker.devices.authenticate(bearer: request.bearerToken)
            if request.headers["Accept"]?.lowercased().contains("text/event-stream") == true {
                return .eventStream { stream in
                    approvalStreams.add(stream, citizenID: device.citizenID)
                    for approval in (try? broker.approvals.pending(for: device)) ?? [] {
                        stream.send(event: "request", data: DeviceRequestJSON.render(approval).serializedString(), id: approval.id)
                    }
                }
            }
            let pending = try broker.approvals.pending(for: device)
            return Responses.json(200, ["requests": .array(pending.map(DeviceRequestJSON.render))])
        })

        router.post("/device/v1/requests/{request_id}/decision", api { request in
            let device = try broker.devices.authenticate(bearer: request.bearerToken)
            let body = try request.jsonObject()
            let status = try broker.approvals.decide(
                requestID: request.pathParameters["request_id"] ?? "", decision: try body.string("decision"), by: device)
            return Responses.json(200, ["status": .string(status.rawValue)])
        })

        router.delete("/device/v1/devices/{device_id}", api { request in
            let device = try broker.devices.authenticate(bearer: request.bearerToken)
            try broker.devices.revoke(id: request.pathParameters["device_id"] ?? "", by: device)
            return Responses.json(200, ["device_id": .string(device.id), "status": "revoked"])
        })
    }
}
