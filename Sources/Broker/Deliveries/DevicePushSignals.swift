import JSON
import Storage

/// Push delivery to devices: when a request arrives for a citizen, each active device that
/// registered a `push_url` gets `{"type": "approval_request"}` there — what an APNs/FCM relay
/// needs to wake the app, and nothing else: no request id, no relying party, nothing personal.
/// A lost push loses nothing: the request stays readable at `GET /device/v1/requests`.
struct DevicePushSignals: ApprovalNotifier {
    let store: any Store
    let deliveries: OutboundDeliveries

    static let body = JSONValue.object(["type": "approval_request"]).serialized()

    func approvalCreated(_ approval: ApprovalRecord) {
        guard let devices = try? store.devices(citizenID: approval.citizenID) else { return }
        for device in devices where device.revokedAt == nil {
            guard let url = device.pushURL else { continue }
            deliveries.send(OutboundDelivery(
                purpose: .devicePush, url: url, headers: [("Content-Type", "application/json")], body: Self.body,
                clientID: nil, citizenID: approval.citizenID, reference: device.id))
        }
    }
}
