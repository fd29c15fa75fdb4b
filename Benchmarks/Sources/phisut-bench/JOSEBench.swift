import JOSE
import JSON
#if canImport(Glibc)
import Glibc
#endif

/// Single-thread JWS throughput: full compact serialization of a typical ~300-byte JWT
/// (header JSON + base64url + signature), and full verification (parse, header checks,
/// signature). Prints one `alg op ops/s` line per measurement for Benchmarks/jose.sh.
enum JOSEBench {
    static func run(arguments: [String]) {
        var seconds = 3.0
        if let index = arguments.firstIndex(of: "--seconds"), index + 1 < arguments.count, let value = Double(arguments[index + 1]) {
            seconds = value
        }
        var algorithms: [JWSAlgorithm] = [.es256, .rs256, .edDSA]
        if let index = arguments.firstIndex(of: "--only"), index + 1 < arguments.count,
           let only = JWSAlgorithm(rawValue: arguments[index + 1]) {
            algorithms = [only]
        }
        let claims = typicalClaims()
        let payload = JSONValue.object(claims).serialized()
        print("# payload \(payload.count) bytes, \(seconds) s per measurement")
        for algorithm in algorithms {
            do {
                let key = try JWK.generate(for: algorithm, kid: "bench-key")
                let publicKey = key.publicKey
                let token = try JWT.sign(claims: claims, key: key, algorithm: algorithm)
                let allowed: Set<JWSAlgorithm> = [algorithm]
                var sink = 0
                let signRate = try measure(seconds: seconds) { () throws(JOSEError) in
                    sink &+= try JWS.sign(payload: payload, key: key, algorithm: algorithm, header: ["typ": "JWT"]).utf8.count
                }
                let verifyRate = try measure(seconds: seconds) { () throws(JOSEError) in
                    sink &+= try JWS.verify(token, key: publicKey, allowed: allowed).payload.count
                }
                print("\(algorithm.rawValue) sign \(format(signRate))")
                print("\(algorithm.rawValue) verify \(format(verifyRate))")
                if sink == 42 { print("") }   // keeps the work observable to the optimizer
            } catch {
                print("\(algorithm.rawValue) error \(error)")
            }
        }
    }

    /// An access-token-like claim set of about 300 bytes.
    static func typicalClaims() -> [String: JSONValue] {
        [
            "iss": "https://phisut.example.go.th",
            "sub": "c0a8f3e2-5b1d-4c7e-9f2a-6d8b1e4a7c33",
            "aud": ["https://rp.example.co.th", "https://api.example.co.th"],
            "client_id": "rp-7f3c2a91",
            "scope": "openid profile dopa:id_card",
            "acr": "urn:dopa:ial2.3",
            "iat": 1_764_489_600,
            "exp": 1_764_489_900,
            "jti": "9b2f6c1e-7a3d-4e58-b0c4-2f1d8e6a9b70",
            "auth_time": 1_764_489_590,
        ]
    }

    /// Runs `body` for about `seconds` of wall time and returns operations per second of user
    /// CPU time — the divisor `openssl speed` uses by default, so both sides are comparable
    /// even on a loaded machine.
    static func measure(seconds: Double, _ body: () throws(JOSEError) -> Void) throws(JOSEError) -> Double {
        for _ in 0..<50 { try body() }   // warm-up: caches, lazy OpenSSL initialisation
        let wallStart = wallClock(), cpuStart = userCPUTime()
        var operations = 0
        repeat {
            for _ in 0..<20 { try body() }
            operations += 20
        } while wallClock() - wallStart < seconds
        return Double(operations) / max(userCPUTime() - cpuStart, 1e-9)
    }

    static func wallClock() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// User CPU seconds of this (single-threaded) process.
    static func userCPUTime() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    }

    static func format(_ rate: Double) -> String {
        String(Int(rate.rounded()))
    }
}
