import JOSE

extension StateFile {
    /// Opens the sealed key of the enrollment `deviceID` names (or the only active one) with
    /// `passcode`, and records the outcome: a right passcode resets the failure counter; a
    /// wrong one raises it, and the `DeviceState.maximumFailedPasscodes`-th in a row wipes the
    /// key (the enrollment stays, marked wiped). The counter is saved before the error is
    /// thrown, so killing the app cannot buy extra guesses.
    public func unlock(deviceID: String?, passcode: Passcode) throws(DeviceError) -> (enrollment: DeviceEnrollment, key: JWK) {
        try locked { () throws(DeviceError) in try unlockHoldingLock(deviceID: deviceID, passcode: passcode) }
    }

    private func unlockHoldingLock(deviceID: String?, passcode: Passcode) throws(DeviceError) -> (enrollment: DeviceEnrollment, key: JWK) {
        var state = try load()
        let index = try state.index(of: deviceID)
        var enrollment = state.enrollments[index]
        switch enrollment.status {
        case .active: break
        case .wiped: throw .keyWiped
        case .revoked: throw .noDevice("\(enrollment.deviceID) has been revoked")
        }
        guard let sealed = enrollment.sealedKey else { throw .keyWiped }
        let key: JWK
        do {
            key = try sealed.open(passcode: passcode)
        } catch .wrongPasscode {
            enrollment.failedPasscodes += 1
            let remaining = DeviceState.maximumFailedPasscodes - enrollment.failedPasscodes
            if remaining <= 0 {
                enrollment.sealedKey = nil
                enrollment.status = .wiped
            }
            state.enrollments[index] = enrollment
            try save(state)
            throw remaining <= 0 ? .keyWiped : .wrongPasscode(remaining: remaining)
        }
        if enrollment.failedPasscodes != 0 {
            enrollment.failedPasscodes = 0
            state.enrollments[index] = enrollment
            try save(state)
        }
        return (enrollment, key)
    }

    /// Applies `change` to one enrollment and saves.
    public func update(deviceID: String, _ change: (inout DeviceEnrollment) -> Void) throws(DeviceError) {
        try locked { () throws(DeviceError) in
            var state = try load()
            let index = try state.index(of: deviceID)
            change(&state.enrollments[index])
            try save(state)
        }
    }

    /// Appends an enrollment and saves, under the lock.
    public func append(_ enrollment: DeviceEnrollment) throws(DeviceError) {
        try locked { () throws(DeviceError) in
            var state = try load()
            state.enrollments.append(enrollment)
            try save(state)
        }
    }
}
