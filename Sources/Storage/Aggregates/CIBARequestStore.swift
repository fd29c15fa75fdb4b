/// CIBA authentication requests (issue 5). Written as an extension of the generic core rather
/// than a new member of `Store`, so that the aggregate needs no change to the composed protocol.
/// Progress (polling, issuance) goes through `update(CIBARequestRecord.self, id:)`, checking the
/// state inside the body.
extension RecordStore {
    /// Throws `.alreadyExists`.
    public func addCIBARequest(_ request: CIBARequestRecord) throws { try create(request) }
    /// `hash` is the hex SHA-256 of the `auth_req_id`. Throws `.notFound`.
    public func cibaRequest(hash: String) throws -> CIBARequestRecord { try get(CIBARequestRecord.self, id: hash) }
}
