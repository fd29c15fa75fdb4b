extension Migration {
    /// Phisut's schema, oldest first. Append only: never edit or reorder a shipped migration.
    package static let all: [Migration] = [
        Migration(version: 1, name: "audit log") { AuditSQL(dialect: $0).createTable },
        .records(
            version: 2, name: "core aggregates",
            [
                SigningKeyRecord.kind, OfficerRecord.kind, PartnerRecord.kind, InitialAccessTokenRecord.kind,
                CitizenRecord.kind, EnrollmentRecord.kind, DeviceRecord.kind, NonceRecord.kind,
            ]),
        .records(
            version: 3, name: "login flow",
            [
                AuthorizationRequestRecord.kind, ApprovalRecord.kind, AuthorizationCodeRecord.kind, GrantRecord.kind,
                RefreshTokenRecord.kind, ConsentRecord.kind, BrokerSessionRecord.kind, RevokedTokenRecord.kind,
                SettingRecord.kind,
            ]),
        // ciba (issue 5)
        .records(version: 10, name: "ciba requests", [CIBARequestRecord.kind]),
        // end ciba
    ]
}
