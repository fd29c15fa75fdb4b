import Glibc

/// An exclusive flock(2) on `<state file>.lock`, held from reading the state to saving it.
/// Without it, parallel runs could each read "0 wrong passcodes" and write back "1", buying
/// an attacker unlimited guesses; with it, every guess is counted. The descriptor has one
/// owner and is closed (releasing the lock) in `deinit`.
struct StateLock: ~Copyable {
    private let descriptor: Int32

    init(for path: String) throws(DeviceError) {
        let lockPath = path + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw .stateFile("cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let why = String(cString: strerror(errno))
                close(descriptor)
                throw .stateFile("cannot lock \(lockPath): \(why)")
            }
        }
        self.descriptor = descriptor
    }

    /// Ends the lock here; written out at the end of the critical section so it visibly
    /// lives until then.
    consuming func release() {}

    deinit { close(descriptor) }
}

extension StateFile {
    /// Runs `body` while holding the state file's lock (creating its directory if needed).
    public func locked<T>(_ body: () throws(DeviceError) -> T) throws(DeviceError) -> T {
        try createDirectory()
        let lock = try StateLock(for: path)
        let result: T
        do {
            result = try body()
        } catch {
            lock.release()
            throw error
        }
        lock.release()
        return result
    }
}
