import HTTP

extension BrokerRoutes {
    /// `/authorize`, the login, waiting and consent pages, device approvals, logout.
    func registerFrontChannel(on router: Router) {}
}
