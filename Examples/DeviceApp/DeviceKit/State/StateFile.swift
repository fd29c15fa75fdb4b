import Glibc
import JOSE
import JSON

/// The state file on disk: JSON, owner-only (mode 0600, in a 0700 directory when we create
/// it). Every save writes a fresh temporary file opened with O_CREAT|O_EXCL, fsyncs it and
/// renames it over the old one, so a reader sees the old state or the new one, never half.
public struct StateFile: Sendable {
    public let path: String

    static let maximumSize = 1 << 20

    public init(path: String) { self.path = path }

    /// `$HOME/.phisut-device/state.json`.
    public static func defaultPath(environment: [String: String]) throws(DeviceError) -> String {
        guard let home = environment["HOME"], !home.isEmpty else { throw .usage("HOME is not set; give --state PATH") }
        return home + "/.phisut-device/state.json"
    }

    /// The saved state, or an empty one when the file does not exist yet. Refuses a file that
    /// others could read or write, or that another user owns, as ssh does with its keys.
    public func load() throws(DeviceError) -> DeviceState {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if descriptor < 0 {
            if errno == ENOENT { return DeviceState() }
            throw .stateFile("cannot open \(path): \(Self.reason())")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .stateFile("cannot stat \(path): \(Self.reason())") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .stateFile("\(path) is not a regular file") }
        guard info.st_uid == geteuid() else { throw .stateFile("\(path) belongs to another user") }
        guard info.st_mode & 0o077 == 0 else {
            throw .stateFile("\(path) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); it must be 0600")
        }
        guard info.st_size <= Self.maximumSize else { throw .stateFile("\(path) is too large") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .stateFile("cannot read \(path): \(Self.reason())") }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= Self.maximumSize else { throw .stateFile("\(path) is too large") }
        }
        do {
            return try DeviceState(json: try JSONValue(parsing: bytes))
        } catch let error as DeviceError {
            throw error
        } catch {
            throw .stateFile("\(path) is not valid JSON")
        }
    }

    /// Replaces the file with `state` atomically.
    public func save(_ state: DeviceState) throws(DeviceError) {
        try writeAtomically(state.json().serialized() + [UInt8(ascii: "\n")])
    }

    /// Fails now, before anything is sent to the broker, if `save` could not succeed later:
    /// creates the directory if needed and a temporary file in it, then removes it.
    public func checkWritable() throws(DeviceError) {
        try createDirectory()
        let temporary = try createTemporary()
        close(temporary.descriptor)
        unlink(temporary.path)
    }

    func writeAtomically(_ bytes: [UInt8]) throws(DeviceError) {
        try createDirectory()
        let temporary = try createTemporary()
        var closed = false
        defer {
            if !closed { close(temporary.descriptor) }
        }
        var remaining = bytes[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { write(temporary.descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                unlink(temporary.path)
                throw .stateFile("cannot write \(temporary.path): \(Self.reason())")
            }
            remaining = remaining.dropFirst(written)
        }
        guard fsync(temporary.descriptor) == 0 else {
            unlink(temporary.path)
            throw .stateFile("cannot sync \(temporary.path): \(Self.reason())")
        }
        closed = true
        close(temporary.descriptor)
        guard rename(temporary.path, path) == 0 else {
            let why = Self.reason()
            unlink(temporary.path)
            throw .stateFile("cannot replace \(path): \(why)")
        }
        syncDirectory()
    }

    /// A new file beside `path`, mode 0600 from birth (never widened by the umask, and never
    /// an existing file or symlink thanks to O_EXCL).
    private func createTemporary() throws(DeviceError) -> (descriptor: Int32, path: String) {
        for _ in 0..<4 {
            let candidate = path + ".tmp-" + Crypto.randomToken(bytes: 6)
            let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if descriptor >= 0 {
                // The umask can only narrow the mode; make sure nothing widened it either.
                fchmod(descriptor, 0o600)
                return (descriptor, candidate)
            }
            if errno != EEXIST { throw .stateFile("cannot create a file beside \(path): \(Self.reason())") }
        }
        throw .stateFile("cannot create a temporary file beside \(path)")
    }

    private var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Creates the parent directory (0700) when missing; an existing one is left as it is.
    func createDirectory() throws(DeviceError) {
        let directory = self.directory
        var info = stat()
        if stat(directory, &info) == 0 { return }
        var partial = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o700) != 0 && errno != EEXIST {
                throw .stateFile("cannot create \(partial): \(Self.reason())")
            }
        }
    }

    /// Makes the rename itself durable.
    private func syncDirectory() {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
