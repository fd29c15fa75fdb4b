import Storage
import Testing

/// Many threads at once: no lost update, exactly-once consumption, no crash.
enum ConcurrencyConformance {
    static let cases: [ConformanceCase] = [
        ConformanceCase(name: "8 threads x 100 updates lose no increment") { open in
            let store = try open()
            try store.addEnrollment(Fixture.enrollment("e1"))
            let failures = Shared(0)
            onThreads(8) { _ in
                for _ in 0..<100 {
                    do { try store.update(EnrollmentRecord.self, id: "e1") { $0.failedAttempts += 1 } } catch {
                        failures.withLock { $0 += 1 }
                    }
                }
            }
            #expect(failures.current == 0)
            #expect(try store.enrollment(id: "e1").failedAttempts == 800)
        },
        ConformanceCase(name: "8 threads redeeming one enrollment code: exactly one wins") { open in
            let store = try open()
            try store.addEnrollment(Fixture.enrollment("e1", code: "C0DE"))
            let winners = Shared<[Int]>([])
            onThreads(8) { thread in
                let redeemed = try? store.transaction { tx in
                    let enrollment = try tx.enrollment(codeHash: "C0DE")
                    return try tx.update(EnrollmentRecord.self, id: enrollment.id) { e in
                        guard e.status == .pending else { throw StorageError.notFound }
                        e.status = .used
                        e.deviceID = "device-\(thread)"
                        e.usedAt = 200
                    }
                }
                if redeemed != nil { winners.withLock { $0.append(thread) } }
            }
            let won = try #require(winners.current.first)
            #expect(winners.current.count == 1)
            #expect(try store.enrollment(id: "e1").deviceID == "device-\(won)")
        },
        ConformanceCase(name: "8 threads consuming a 3-use initial access token: exactly 3 succeed") { open in
            let store = try open()
            try store.addInitialAccessToken(Fixture.token("t1", uses: 3))
            let successes = Shared(0)
            onThreads(8) { _ in
                if (try? store.consumeInitialAccessToken(tokenHash: "iat-t1", now: 150)) != nil {
                    successes.withLock { $0 += 1 }
                }
            }
            #expect(successes.current == 3)
            #expect(try store.initialAccessToken(tokenHash: "iat-t1").remainingUses == 0)
        },
        ConformanceCase(name: "8 threads creating the same nonce: exactly one succeeds, the rest get alreadyExists") { open in
            let store = try open()
            let outcomes = Shared<[Result<Void, StorageError>]>([])
            onThreads(8) { _ in
                let outcome: Result<Void, StorageError>
                do { try store.useNonce("jti:abc", expiresAt: 500); outcome = .success(()) } catch let error as StorageError {
                    outcome = .failure(error)
                } catch { outcome = .failure(.backend("\(error)")) }
                outcomes.withLock { $0.append(outcome) }
            }
            let all = outcomes.current
            #expect(all.filter { if case .success = $0 { true } else { false } }.count == 1)
            #expect(all.filter { if case .failure(.alreadyExists) = $0 { true } else { false } }.count == 7)
        },
        ConformanceCase(name: "readers and writers on many threads see whole records") { open in
            let store = try open()
            try store.addDevice(Fixture.device("d0", citizen: "c"))
            let problems = Shared(0)
            onThreads(8) { thread in
                for n in 0..<25 {
                    do {
                        if thread % 2 == 0 {
                            try store.addDevice(Fixture.device("d\(thread)-\(n)", citizen: "c"))
                        } else {
                            let devices = try store.devices(citizenID: "c")
                            if devices.isEmpty || devices.contains(where: { $0.citizenID != "c" }) { problems.withLock { $0 += 1 } }
                        }
                    } catch { problems.withLock { $0 += 1 } }
                }
            }
            #expect(problems.current == 0)
            #expect(try store.activeDeviceCount(citizenID: "c") == 1 + 4 * 25)
        },
    ]
}
