import Broker
import HTTP
import JSON

extension BrokerRoutes {
    /// Discovery, JWKS and health: precomputed bytes served on the event loop (`.inline`).
    func registerDiscovery(on router: Router) {
        let discovery = broker.discoveryDocument.serialized()
        router.get("/.well-known/openid-configuration", execution: .inline) { _ in
            Self.publicJSON(discovery)
        }
        let keys = broker.keys
        router.get("/jwks", execution: .inline) { _ in
            Self.publicJSON(keys.jwksDocument)
        }
        router.get("/healthz") { [broker] _ in
            do {
                _ = try broker.store.signingKeys()
                return Responses.json(200, ["status": "ok"])
            } catch {
                return Responses.json(503, ["status": "unavailable"])
            }
        }
    }

    /// Public metadata may be cached briefly (OIDC Discovery; key rotation keeps old keys).
    private static func publicJSON(_ bytes: [UInt8]) -> HTTPResponse {
        var response = HTTPResponse.json(200, bytes)
        response.headers["Cache-Control"] = "public, max-age=300"
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
    }
}
