import Storage
import Testing

/// The domain-facing API of each aggregate.
enum AggregateConformance {
    /// One rule of `consumeInitialAccessToken`, as a readable table row.
    struct ConsumeRule: Sendable {
        let name: String
        let token: InitialAccessTokenRecord
        let now: Int64
        /// nil = refused with .notFound
        let remainingAfter: Int??
    }

    static let consumeRules: [ConsumeRule] = [
        ConsumeRule(name: "unlimited, never expires: accepted, stays unlimited", token: Fixture.token("a"), now: 150, remainingAfter: .some(nil)),
        ConsumeRule(name: "2 uses left: accepted, 1 left", token: Fixture.token("b", uses: 2), now: 150, remainingAfter: 1),
        ConsumeRule(name: "last use: accepted, 0 left", token: Fixture.token("c", uses: 1), now: 150, remainingAfter: 0),
        ConsumeRule(name: "no uses left: refused", token: Fixture.token("d", uses: 0), now: 150, remainingAfter: nil),
        ConsumeRule(name: "before expiry: accepted", token: Fixture.token("e", expiresAt: 200), now: 199, remainingAfter: .some(nil)),
        ConsumeRule(name: "at expiry second: refused", token: Fixture.token("f", expiresAt: 200), now: 200, remainingAfter: nil),
        ConsumeRule(name: "revoked: refused", token: Fixture.token("g", revokedAt: 120), now: 150, remainingAfter: nil),
    ]

    static let cases: [ConformanceCase] = [
        ConformanceCase(name: "signing keys: add, list all, retire keeps the first retirement") { open in
            let store = try open()
            try store.addSigningKey(Fixture.key("k2"))
            try store.addSigningKey(Fixture.key("k1"))
            #expect(throws: StorageError.alreadyExists) { try store.addSigningKey(Fixture.key("k1")) }
            #expect(try store.signingKeys().map(\.id) == ["k1", "k2"])
            let retired = try store.retireSigningKey(id: "k1", at: 300, removeAfter: 900)
            #expect(retired.retiredAt == 300 && retired.removeAfter == 900)
            let again = try store.retireSigningKey(id: "k1", at: 400, removeAfter: 1_000)
            #expect(again.retiredAt == 300 && again.removeAfter == 1_000)
            #expect(try store.signingKeys().first { $0.id == "k1" } == again)
            #expect(throws: StorageError.notFound) { try store.retireSigningKey(id: "k9", at: 1, removeAfter: nil) }
        },
        ConformanceCase(name: "officers: add, look up by id and token hash, list, disable") { open in
            let store = try open()
            try store.addOfficer(Fixture.officer("o2"))
            try store.addOfficer(Fixture.officer("o1", token: "abc"))
            #expect(throws: StorageError.alreadyExists) { try store.addOfficer(Fixture.officer("o3", token: "abc")) }
            #expect(try store.officer(id: "o1").tokenHash == "abc")
            #expect(try store.officer(tokenHash: "abc").id == "o1")
            #expect(throws: StorageError.notFound) { try store.officer(tokenHash: "zzz") }
            #expect(try store.officers().map(\.id) == ["o1", "o2"])
            #expect(try store.disableOfficer(id: "o1", at: 500).disabledAt == 500)
            #expect(try store.disableOfficer(id: "o1", at: 600).disabledAt == 500)
            #expect(try store.officer(tokenHash: "abc").disabledAt == 500)
            #expect(throws: StorageError.notFound) { try store.disableOfficer(id: "o9", at: 1) }
        },
        ConformanceCase(name: "partners and initial access tokens: add, list, look up, revoke") { open in
            let store = try open()
            try store.addPartner(Fixture.partner("p2"))
            try store.addPartner(Fixture.partner("p1"))
            #expect(throws: StorageError.alreadyExists) { try store.addPartner(Fixture.partner("p1")) }
            #expect(try store.partners().map(\.id) == ["p1", "p2"])
            #expect(throws: StorageError.notFound) { try store.partner(id: "p3") }
            try store.addInitialAccessToken(Fixture.token("t2", partner: "p1"))
            try store.addInitialAccessToken(Fixture.token("t1", partner: "p1"))
            try store.addInitialAccessToken(Fixture.token("t3", partner: "p2"))
            var clash = Fixture.token("t4", partner: "p2")
            clash.tokenHash = "iat-t1"
            #expect(throws: StorageError.alreadyExists) { try store.addInitialAccessToken(clash) }
            #expect(try store.initialAccessTokens(partnerID: "p1").map(\.id) == ["t1", "t2"])
            #expect(try store.initialAccessToken(tokenHash: "iat-t3").partnerID == "p2")
            #expect(try store.revokeInitialAccessToken(id: "t1", at: 700).revokedAt == 700)
            #expect(try store.revokeInitialAccessToken(id: "t1", at: 800).revokedAt == 700)
            #expect(throws: StorageError.notFound) { try store.consumeInitialAccessToken(tokenHash: "iat-t1", now: 750) }
            #expect(throws: StorageError.notFound) { try store.consumeInitialAccessToken(tokenHash: "unknown", now: 750) }
        },
        ConformanceCase(name: "initial access token consumption rules") { open in
            let store = try open()
            for rule in consumeRules {
                try store.addInitialAccessToken(rule.token)
                let hash = rule.token.tokenHash
                if let expected = rule.remainingAfter {
                    let consumed = try store.consumeInitialAccessToken(tokenHash: hash, now: rule.now)
                    #expect(consumed.remainingUses == expected, "\(rule.name)")
                    #expect(try store.initialAccessToken(tokenHash: hash).remainingUses == expected, "\(rule.name)")
                } else {
                    #expect(throws: StorageError.notFound, "\(rule.name)") {
                        try store.consumeInitialAccessToken(tokenHash: hash, now: rule.now)
                    }
                    #expect(try store.initialAccessToken(tokenHash: hash) == rule.token, "\(rule.name): unchanged")
                }
            }
        },
        ConformanceCase(name: "citizens: upsert inserts, then replaces details keeping createdAt") { open in
            let store = try open()
            #expect(throws: StorageError.notFound) { try store.citizen(id: "1101700203451") }
            let first = Fixture.citizen(at: 100)
            #expect(try store.upsertCitizen(first) == first)
            var changed = Fixture.citizen(givenEN: "Somchai J.", at: 900)
            changed.cardLaserCode = nil
            changed.ial = "2.1"
            let stored = try store.upsertCitizen(changed)
            #expect(stored.createdAt == 100)
            #expect(stored.updatedAt == 900 && stored.givenNameEN == "Somchai J." && stored.cardLaserCode == nil && stored.ial == "2.1")
            #expect(try store.citizen(id: first.id) == stored)
        },
        ConformanceCase(name: "enrollments: add, look up by id and code hash, unique code") { open in
            let store = try open()
            let enrollment = Fixture.enrollment("e1", code: "hash1")
            try store.addEnrollment(enrollment)
            #expect(throws: StorageError.alreadyExists) { try store.addEnrollment(Fixture.enrollment("e2", code: "hash1")) }
            #expect(try store.enrollment(id: "e1") == enrollment)
            #expect(try store.enrollment(codeHash: "hash1") == enrollment)
            #expect(throws: StorageError.notFound) { try store.enrollment(codeHash: "hash2") }
            #expect(enrollment.status == .pending && enrollment.failedAttempts == 0)
        },
        ConformanceCase(name: "devices: add, list per citizen, count active, revoke") { open in
            let store = try open()
            try store.addDevice(Fixture.device("d2", citizen: "c1"))
            try store.addDevice(Fixture.device("d1", citizen: "c1"))
            try store.addDevice(Fixture.device("d3", citizen: "c2"))
            #expect(throws: StorageError.alreadyExists) { try store.addDevice(Fixture.device("d1", citizen: "c2")) }
            #expect(try store.devices(citizenID: "c1").map(\.id) == ["d1", "d2"])
            #expect(try store.activeDeviceCount(citizenID: "c1") == 2)
            #expect(try store.revokeDevice(id: "d1", at: 300).revokedAt == 300)
            #expect(try store.revokeDevice(id: "d1", at: 400).revokedAt == 300)
            #expect(try store.activeDeviceCount(citizenID: "c1") == 1)
            #expect(try store.devices(citizenID: "c1").count == 2)
            #expect(try store.activeDeviceCount(citizenID: "nobody") == 0)
            #expect(try store.device(id: "d3").pushURL == "https://push.example/d3")
            #expect(throws: StorageError.notFound) { try store.revokeDevice(id: "d9", at: 1) }
        },
        ConformanceCase(name: "nonces: a key is usable once") { open in
            let store = try open()
            try store.useNonce("client:jti-1", expiresAt: 500)
            #expect(throws: StorageError.alreadyExists) { try store.useNonce("client:jti-1", expiresAt: 900) }
            try store.useNonce("device:jti-1", expiresAt: 500)
        },
    ]
}
