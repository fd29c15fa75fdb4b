import HTTP

extension BrokerRoutes {
    /// `/token`, `/userinfo`, `/introspect`, `/revoke`.
    func registerBackChannel(on router: Router) {}
}
