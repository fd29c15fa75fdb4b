import Storage
import Testing

/// `collectGarbage(now:)`: deletes exactly the records whose `collectAfter < now`, in every kind.
enum GarbageCollectionConformance {
    static let cases: [ConformanceCase] = [
        ConformanceCase(name: "collectGarbage deletes only what is past its time, in every kind") { open in
            let store = try open()
            try store.useNonce("n:old", expiresAt: 100)
            try store.useNonce("n:now", expiresAt: 200)
            try store.useNonce("n:new", expiresAt: 300)
            try store.addSigningKey(Fixture.key("k-removed", removeAfter: 150))
            try store.addSigningKey(Fixture.key("k-kept"))
            try store.addInitialAccessToken(Fixture.token("t-expired", expiresAt: 199))
            try store.addInitialAccessToken(Fixture.token("t-forever"))
            // Enrollments stay a grace period past expiry.
            try store.addEnrollment(Fixture.enrollment("e-past-grace", expiresAt: 200 - EnrollmentRecord.gcGrace - 1))
            try store.addEnrollment(Fixture.enrollment("e-in-grace", expiresAt: 150))
            try store.addOfficer(Fixture.officer("o1"))

            #expect(try store.collectGarbage(now: 200) == 4)

            #expect(throws: StorageError.notFound) { try store.get(NonceRecord.self, id: "n:old") }
            #expect(try store.get(NonceRecord.self, id: "n:now").expiresAt == 200)
            #expect(try store.signingKeys().map(\.id) == ["k-kept"])
            #expect(try store.initialAccessTokens(partnerID: "p1").map(\.id) == ["t-forever"])
            #expect(throws: StorageError.notFound) { try store.enrollment(id: "e-past-grace") }
            #expect(try store.enrollment(id: "e-in-grace").id == "e-in-grace")
            #expect(try store.officers().count == 1)
            #expect(try store.collectGarbage(now: 200) == 0)
        },
        ConformanceCase(name: "a collected nonce can be used again") { open in
            let store = try open()
            try store.useNonce("n:1", expiresAt: 100)
            try store.collectGarbage(now: 101)
            try store.useNonce("n:1", expiresAt: 300)
            #expect(throws: StorageError.alreadyExists) { try store.useNonce("n:1", expiresAt: 300) }
        },
        ConformanceCase(name: "an update that moves collectAfter is honoured by collectGarbage") { open in
            let store = try open()
            try store.addSigningKey(Fixture.key("k1"))
            try store.retireSigningKey(id: "k1", at: 100, removeAfter: 150)
            #expect(try store.collectGarbage(now: 150) == 0)
            #expect(try store.collectGarbage(now: 151) == 1)
            #expect(try store.signingKeys().isEmpty)
        },
    ]
}
