/// Fetches a partner-hosted document (`jwks_uri`, `sector_identifier_uri`). The domain never
/// opens a socket: the HTTP layer implements this with the outbound client (address policy,
/// timeouts, a response cap) and tests with a fake.
public protocol MetadataFetcher: Sendable {
    /// The body of a successful (200) `GET url`. Throws for anything else; the error text goes to
    /// logs only, never to the partner.
    func fetch(_ url: String) throws -> [UInt8]
}

/// The fetcher of a broker before the HTTP layer installs one: refuses every URL, so a broker
/// without outbound access cannot be tricked into fetching.
struct NoMetadataFetcher: MetadataFetcher {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "no outbound fetcher is installed" }
    }
    func fetch(_ url: String) throws -> [UInt8] { throw Unavailable() }
}
