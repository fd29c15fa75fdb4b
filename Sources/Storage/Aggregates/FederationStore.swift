/// Upstream authorizations and federation links. Kept out of the `Store` composition on purpose
/// (the federation issue adds no line there): any `RecordStore` has these methods.
extension RecordStore {
    /// Stores the upstream side of a new federated login. Throws `.alreadyExists` on a state clash.
    public func addUpstreamAuthorization(_ record: UpstreamAuthorizationRecord) throws { try create(record) }

    /// Marks the upstream authorization of this state hash used and returns it as it was before:
    /// a caller seeing `usedAt` set knows the state is replayed. Throws `.notFound`.
    public func consumeUpstreamAuthorization(id: String, now: Int64) throws -> UpstreamAuthorizationRecord {
        var before: UpstreamAuthorizationRecord?
        try update(UpstreamAuthorizationRecord.self, id: id) { record in
            before = record
            if record.usedAt == nil { record.usedAt = now }
        }
        guard let before else { throw StorageError.notFound }
        return before
    }

    /// A citizen's federation links, any state.
    public func federationLinks(citizenID: String) throws -> [FederationLinkRecord] {
        try find(FederationLinkRecord.self, where: "citizen_id", equals: citizenID, limit: 1_000)
    }
}
