import HTTP

extension HTTPServerConfiguration {
    /// A small server on 127.0.0.1 for the example apps: one event loop, a few workers, and a
    /// short grace period so `--once` runs end promptly.
    public static func exampleApp(port: Int, workerThreads: Int) -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.eventLoops = 1
        configuration.workerThreads = workerThreads
        configuration.shutdownGracePeriod = 2
        return configuration
    }
}
