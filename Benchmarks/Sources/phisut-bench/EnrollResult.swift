/// What the workers measured: counts, the first error texts, and latency samples per call.
struct EnrollResult: Sendable {
    var succeeded = 0
    var failures = 0
    var firstErrors: [String] = []
    var officer = EnrollLatencies()
    var device = EnrollLatencies()
    var crypto = EnrollLatencies()
    var seconds = 0.0
    var clientCPUSeconds = 0.0

    mutating func merge(_ other: EnrollResult) {
        succeeded += other.succeeded
        failures += other.failures
        firstErrors += other.firstErrors.prefix(max(0, 20 - firstErrors.count))
        officer.merge(other.officer)
        device.merge(other.device)
        crypto.merge(other.crypto)
    }
}
