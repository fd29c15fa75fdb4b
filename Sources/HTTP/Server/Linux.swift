import Glibc

/// epoll, eventfd and accept4 are not exported by Swift's Glibc module map, and this module may
/// not add a C shim target, so they are looked up once from libc with `dlsym` (stable glibc ABI).
enum Linux {
    typealias EpollCreate1 = @convention(c) (Int32) -> Int32
    typealias EpollCtl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    typealias EventFD = @convention(c) (UInt32, Int32) -> Int32
    typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32

    struct Functions: @unchecked Sendable {  // C function pointers into libc are immutable and thread-safe
        let epollCreate1: EpollCreate1
        let epollCtl: EpollCtl
        let epollWait: EpollWait
        let eventfd: EventFD
        let accept4: Accept4
    }

    static let functions: Functions? = {
        guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
        func symbol<T>(_ name: String, _ type: T.Type) -> T? {
            guard let pointer = dlsym(handle, name) else { return nil }
            return unsafeBitCast(pointer, to: type)
        }
        guard let create = symbol("epoll_create1", EpollCreate1.self),
            let ctl = symbol("epoll_ctl", EpollCtl.self),
            let wait = symbol("epoll_wait", EpollWait.self),
            let eventfd = symbol("eventfd", EventFD.self),
            let accept4 = symbol("accept4", Accept4.self)
        else { return nil }
        return Functions(epollCreate1: create, epollCtl: ctl, epollWait: wait, eventfd: eventfd, accept4: accept4)
    }()

    // <sys/epoll.h> and <sys/eventfd.h> constants (identical on x86_64 and aarch64).
    static let epollIn: UInt32 = 0x001
    static let epollOut: UInt32 = 0x004
    static let epollErr: UInt32 = 0x008
    static let epollHup: UInt32 = 0x010
    static let epollRdHup: UInt32 = 0x2000
    static let epollCtlAdd: Int32 = 1
    static let epollCtlDel: Int32 = 2
    static let epollCtlMod: Int32 = 3
    static let closeOnExec: Int32 = 0o2000000
    static let nonBlocking: Int32 = 0o4000

    /// `struct epoll_event` is packed (12 bytes) on x86_64, naturally aligned (16) elsewhere.
    #if arch(x86_64)
    static let epollEventSize = 12
    static let epollDataOffset = 4
    #else
    static let epollEventSize = 16
    static let epollDataOffset = 8
    #endif
}

/// One epoll instance, owned and closed by this type.
final class Epoll {
    let fd: Int32
    private let functions: Linux.Functions
    private let events: UnsafeMutableRawPointer
    let capacity = 256

    init(functions: Linux.Functions) throws(IOError) {
        self.functions = functions
        let fd = functions.epollCreate1(Linux.closeOnExec)
        guard fd >= 0 else { throw IOError(code: errno, function: "epoll_create1") }
        self.fd = fd
        events = UnsafeMutableRawPointer.allocate(byteCount: Linux.epollEventSize * capacity, alignment: 8)
    }

    deinit {
        events.deallocate()
        close(fd)
    }

    func control(_ operation: Int32, fd target: Int32, events mask: UInt32) throws(IOError) {
        var event = (UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &event) { raw in
            raw.storeBytes(of: mask, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: UInt64(UInt32(bitPattern: target)), toByteOffset: Linux.epollDataOffset, as: UInt64.self)
        }
        let result = withUnsafeMutableBytes(of: &event) { functions.epollCtl(fd, operation, target, $0.baseAddress) }
        if result < 0 { throw IOError(code: errno, function: "epoll_ctl") }
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever); calls `body(fd, events)` per ready fd.
    func wait(timeoutMilliseconds: Int32, _ body: (Int32, UInt32) -> Void) {
        let count = functions.epollWait(fd, events, Int32(capacity), timeoutMilliseconds)
        guard count > 0 else { return }
        for index in 0..<Int(count) {
            let base = events + index * Linux.epollEventSize
            let mask = base.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
            let data = base.loadUnaligned(fromByteOffset: Linux.epollDataOffset, as: UInt64.self)
            body(Int32(truncatingIfNeeded: data), mask)
        }
    }
}
