/// A non-201 answer (or a response the generator cannot use).
struct EnrollFailure: Error, CustomStringConvertible {
    let status: Int
    let body: String
    var description: String { "HTTP \(status): \(body)" }
}
