import Dispatch
import Foundation
import Testing
@testable import JOSE

/// Collects results from concurrent workers. `@unchecked Sendable`: all access goes through `lock`.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String] = []
    private var count = 0

    func record(_ failure: String?) {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        if let failure { failures.append(failure) }
    }

    var snapshot: (count: Int, failures: [String]) {
        lock.lock()
        defer { lock.unlock() }
        return (count, failures)
    }
}

@Suite("One key shared across threads")
struct ConcurrencyTests {
    @Test("many threads sign and verify with one JWK", arguments: [JWSAlgorithm.es256, .edDSA, .rs256, .ps256])
    func shared(_ algorithm: JWSAlgorithm) throws {
        let key = try JWK.generate(for: algorithm)
        let publicKey = key.publicKey
        let box = ResultBox()
        let iterations = algorithm.keyType == .rsa ? 10 : 50
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in 0..<iterations {
                let payload = Array("worker \(worker) message \(index)".utf8)
                do {
                    let token = try JWS.sign(payload: payload, key: key, algorithm: algorithm)
                    let verified = try JWS.verify(token, key: publicKey)
                    box.record(verified.payload == payload ? nil : "payload mismatch")
                } catch {
                    box.record("\(error)")
                }
            }
        }
        let result = box.snapshot
        #expect(result.count == 8 * iterations)
        #expect(result.failures.isEmpty, "\(result.failures.prefix(3))")
    }
}
