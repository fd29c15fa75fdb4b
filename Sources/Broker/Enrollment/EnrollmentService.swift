import Foundation
import JOSE
import JSON
import Storage

/// What an officer submits after checking the citizen's ID card (CONTRACT.md, officer API).
public struct EnrollmentApplication: Sendable {
    public var citizenID: String?
    public var givenNameTH: String?
    public var givenNameEN: String?
    public var familyNameTH: String?
    public var familyNameEN: String?
    public var birthdate: String?
    public var cardLaserCode: String?

    public init(citizenID: String?, givenNameTH: String?, givenNameEN: String?, familyNameTH: String?,
                familyNameEN: String?, birthdate: String?, cardLaserCode: String? = nil) {
        self.citizenID = citizenID
        self.givenNameTH = givenNameTH
        self.givenNameEN = givenNameEN
        self.familyNameTH = familyNameTH
        self.familyNameEN = familyNameEN
        self.birthdate = birthdate
        self.cardLaserCode = cardLaserCode
    }
}

/// What the officer gets back: the code appears here once and is stored only as its hash.
public struct EnrollmentTicket: Sendable {
    public let enrollmentID: String
    public let code: String
    public let qrPayload: String
    public let expiresAt: Int64
}

/// Steps 2–8 of the enrollment: the officer starts it, the citizen's device completes it.
public struct EnrollmentService: Sendable {
    /// An officer checked the national ID card in person: the strongest identity proofing of
    /// DESIGN.md, recorded as IAL 3.
    public static let officerCheckedIAL = "3"

    let store: any Store
    let clock: any Clock
    let random: any RandomSource
    let audit: Auditor
    let configuration: BrokerConfiguration
    let terms: TermsCatalog
    let qrCache = QRPayloadCache()

    // MARK: Officer side

    /// Records (or updates) the citizen and issues a single-use enrollment code.
    public func start(_ application: EnrollmentApplication, by officer: OfficerRecord) throws -> EnrollmentTicket {
        let citizenID = try CitizenID.parse(application.citizenID)
        let givenTH = try Self.name(application.givenNameTH, field: "given_name.th")
        let givenEN = try Self.name(application.givenNameEN, field: "given_name.en")
        let familyTH = try Self.name(application.familyNameTH, field: "family_name.th")
        let familyEN = try Self.name(application.familyNameEN, field: "family_name.en")
        let birthdate = try Self.birthdate(application.birthdate, today: clock.now)
        let laserCode = try application.cardLaserCode.map(Self.laserCode)

        let now = clock.now
        let code = random.token(bytes: 20)   // 160 bits
        let enrollment = EnrollmentRecord(
            id: random.identifier("enr"), citizenID: citizenID.digits, codeHash: SecretHash.of(code),
            officerID: officer.id, officeCode: officer.officeCode, createdAt: now,
            expiresAt: now + configuration.enrollmentCodeLifetime, failedAttempts: 0, status: .pending,
            deviceID: nil, usedAt: nil)
        let citizen = CitizenRecord(
            id: citizenID.digits, givenNameTH: givenTH, givenNameEN: givenEN, familyNameTH: familyTH,
            familyNameEN: familyEN, birthdate: birthdate, cardLaserCode: laserCode, ial: Self.officerCheckedIAL,
            createdAt: now, updatedAt: now)
        try store.transaction { tx in
            try tx.upsertCitizen(citizen)
            try tx.addEnrollment(enrollment)
            try audit.record("enrollment.started", by: .officer(officer), citizen: citizenID.digits, detail: enrollment.id, in: tx)
        }
        let payload = qrPayload(code: code)
        qrCache.put(enrollment.id, payload: payload, expiresAt: enrollment.expiresAt, now: now)
        return EnrollmentTicket(enrollmentID: enrollment.id, code: code, qrPayload: payload, expiresAt: enrollment.expiresAt)
    }

    /// The text of the QR code: a URI carrying the issuer and the code, nothing personal.
    public func qrPayload(code: String) -> String {
        "phisut://enroll?iss=" + FormEncoding.escape(configuration.issuer) + "&code=" + FormEncoding.escape(code)
    }

    /// An enrollment started by this officer's office, for drawing its QR code again.
    public func enrollment(id: String, officer: OfficerRecord) throws -> EnrollmentRecord {
        let record: EnrollmentRecord
        do {
            record = try store.enrollment(id: id)
        } catch StorageError.notFound {
            throw OAuthError.notFound("no enrollment with id \(id)")
        }
        guard record.officeCode == officer.officeCode else { throw OAuthError.notFound("no enrollment with id \(id)") }
        return record
    }

    /// The QR payload of a pending enrollment of this officer's office, while its code is valid.
    public func qrPayload(enrollmentID: String, officer: OfficerRecord) throws -> String {
        let record = try enrollment(id: enrollmentID, officer: officer)
        guard record.status == .pending, let payload = qrCache.payload(for: record.id, now: clock.now) else {
            throw OAuthError("enrollment_not_pending", "this enrollment's code was used, burned or has expired", status: 410)
        }
        audit.record("enrollment.qr_shown", by: .officer(officer), citizen: record.citizenID, detail: record.id)
        return payload
    }

    // MARK: Validation of the officer's input

    static func name(_ value: String?, field: String) throws(OAuthError) -> String {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            throw .invalidRequest("\(field) is required")
        }
        guard value.count <= 100 else { throw .invalidRequest("\(field) is longer than 100 characters") }
        guard value.unicodeScalars.allSatisfy({ !$0.properties.generalCategory.isControlOrFormat }) else {
            throw .invalidRequest("\(field) contains control characters")
        }
        return value
    }

    static func birthdate(_ value: String?, today: Int64) throws(OAuthError) -> String {
        guard let value else { throw .invalidRequest("birthdate is required") }
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard value.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), year >= 1880 else {
            throw .invalidRequest("birthdate must be a real date written YYYY-MM-DD")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Bangkok") ?? .gmt
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components), Int64(date.timeIntervalSince1970) <= today else {
            throw .invalidRequest("birthdate is in the future")
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The laser code on the back of the Thai ID card: two letters and ten digits, often
    /// printed with dashes (`JT0-0000000-00`), which are dropped.
    static func laserCode(_ value: String) throws(OAuthError) -> String {
        let compact = value.uppercased().filter { $0 != "-" && $0 != " " }
        let bytes = Array(compact.utf8)
        guard bytes.count == 12,
              bytes[0..<2].allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }),
              bytes[2...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalidRequest("card_laser_code must be two letters and ten digits")
        }
        return compact
    }
}

extension Unicode.GeneralCategory {
    var isControlOrFormat: Bool { self == .control || self == .format || self == .lineSeparator || self == .paragraphSeparator }
}
