/// Pending `/authorize` requests. Progress is written with `update(AuthorizationRequestRecord.self, id:)`,
/// checking `status` inside the body so two tabs cannot both move one request on.
public protocol AuthorizationRequestStore: RecordStore {
    /// Throws `.alreadyExists`.
    func addAuthorizationRequest(_ request: AuthorizationRequestRecord) throws
    /// Throws `.notFound`.
    func authorizationRequest(id: String) throws -> AuthorizationRequestRecord
}

extension AuthorizationRequestStore {
    public func addAuthorizationRequest(_ request: AuthorizationRequestRecord) throws { try create(request) }
    public func authorizationRequest(id: String) throws -> AuthorizationRequestRecord {
        try get(AuthorizationRequestRecord.self, id: id)
    }
}
