/// The "data held by state agencies" the Linkage Center shows once a citizen signed in: a small
/// fake table keyed by the citizen ID, standing in for the real back-office lookups.
enum AgencyRecords {
    struct Record: Sendable {
        let agency: String
        let agencyTH: String
        let entry: String
    }

    static let table: [String: [Record]] = [
        "1101700203450": [
            Record(agency: "Department of Land Transport", agencyTH: "กรมการขนส่งทางบก", entry: "Private car driving licence, valid to 2029-05-16"),
            Record(agency: "Social Security Office", agencyTH: "สำนักงานประกันสังคม", entry: "Insured person, section 33, 84 months of contributions"),
            Record(agency: "Revenue Department", agencyTH: "กรมสรรพากร", entry: "Personal income tax return 2025 filed, refund paid"),
        ],
    ]

    /// The records for `pid`; a citizen the table does not know gets the one generic entry a
    /// demo needs to show the lookup ran.
    static func records(for pid: String?) -> [Record] {
        guard let pid else { return [] }
        return table[pid] ?? [
            Record(agency: "Department of Provincial Administration", agencyTH: "กรมการปกครอง", entry: "House registration on file"),
        ]
    }
}
