/// Everything the app keeps: the enrollments of this device, oldest first.
public struct DeviceState: Sendable, Equatable {
    /// The file format; a newer file is refused rather than misread.
    public static let formatVersion: Int64 = 1
    /// Wrong passcodes in a row that wipe the key.
    public static let maximumFailedPasscodes = 5

    public var enrollments: [DeviceEnrollment]

    public init(enrollments: [DeviceEnrollment] = []) { self.enrollments = enrollments }

    /// The enrollment `deviceID` names, or, when nil, the only active one.
    public func index(of deviceID: String?) throws(DeviceError) -> Int {
        if let deviceID {
            guard let index = enrollments.firstIndex(where: { $0.deviceID == deviceID }) else {
                throw .noDevice("no enrollment \(deviceID) in the state file")
            }
            return index
        }
        let active = enrollments.indices.filter { enrollments[$0].status == .active }
        switch active.count {
        case 1: return active[0]
        case 0:
            if enrollments.contains(where: { $0.status == .wiped }) { throw .keyWiped }
            throw .noDevice(enrollments.isEmpty ? "the state file holds no enrollment; run enroll first"
                                                : "every enrollment in the state file is revoked; run enroll again")
        default: throw .noDevice("several active enrollments; choose one with --device")
        }
    }
}
