import JSON
import Storage

/// Ping mode (CIBA Core §10.2): when the citizen decided a CIBA request of a ping-mode client,
/// "the OP … sends an HTTP POST request to the Client Notification Endpoint" with
/// `Authorization: Bearer <client_notification_token>` and `{"auth_req_id": …}`; the client
/// then fetches the result at the token endpoint. Denials are pinged too, so the client learns
/// `access_denied` without waiting.
struct CIBAPings: ApprovalNotifier {
    let store: any Store
    let clients: ClientRegistry
    let ids: AuthReqIDs
    let deliveries: OutboundDeliveries
    let audit: Auditor

    func approvalCreated(_ approval: ApprovalRecord) {}

    func approvalDecided(_ approval: ApprovalRecord) {
        guard approval.origin == "ciba", let request = try? store.cibaRequest(hash: approval.originID),
              request.deliveryMode == "ping" else { return }
        guard let token = request.clientNotificationToken, let client = clients.client(id: request.clientID),
              let endpoint = client.backchannelClientNotificationEndpoint else {
            audit.record("ciba.ping_failed", by: Actor(type: "system", id: "deliveries"), citizen: request.citizenID,
                         client: request.clientID, success: false, detail: "\(approval.id): no notification endpoint or token")
            return
        }
        let body = JSONValue.object(["auth_req_id": .string(ids.derive(seed: request.seed))]).serialized()
        deliveries.send(OutboundDelivery(
            purpose: .cibaPing, url: endpoint,
            headers: [("Authorization", "Bearer " + token), ("Content-Type", "application/json")], body: body,
            clientID: request.clientID, citizenID: request.citizenID, reference: approval.id))
    }
}
