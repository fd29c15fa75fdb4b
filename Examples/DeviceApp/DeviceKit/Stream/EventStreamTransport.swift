/// Opens `GET /device/v1/requests` as an event stream. `LoopbackEventStreams` in the app; a
/// scripted broker in tests.
public protocol EventStreamTransport: Sendable {
    /// Sends `GET url` with `headers` and returns the open body once the broker answered 200
    /// with `text/event-stream`. Any other status throws `.refused` with the broker's `error`.
    func open(url: String, headers: [(String, String)]) throws(DeviceError) -> any EventStreamConnection
}

/// An open event-stream body.
public protocol EventStreamConnection: AnyObject {
    /// The next bytes of the body (blocking); empty once the broker closed the stream. Throws
    /// `.streamDropped` when the connection fails or stays silent past the read timeout.
    func read() throws(DeviceError) -> [UInt8]
}
