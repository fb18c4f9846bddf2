import FoundationEssentials
import Glibc
import SeedwatchCore
import SeedwatchExecutors

/// An inotify instance whose events are read on a dedicated thread and delivered as an
/// `AsyncStream`, so a blocking `read` never occupies the Swift concurrency pool.
public final class Inotify: Sendable {
    public let descriptor: Int32
    /// A pipe whose write end wakes the reader thread when the stream is finished.
    private let wake: Int32
    private let wakeWriter: Int32
    private let started = Locked(false)
    /// Opened when the reader thread has left its loop.
    private let readerExited = ThreadLatch()

    public init() throws(SystemError) {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw SystemError(operation: "inotify_init1", path: nil) }
        let pipe: (Int32, Int32)
        do {
            pipe = try Self.makeWakePipe()
        } catch {
            close(fd)
            throw error
        }
        self.descriptor = fd
        (self.wake, self.wakeWriter) = pipe
    }

    /// Adopts an inotify descriptor handed over by systemd's file-descriptor store.
    public init(adopting fd: Int32) throws(SystemError) {
        (self.wake, self.wakeWriter) = try Self.makeWakePipe()
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        // External processors must not inherit it (sd_listen_fds sets this too; a caller may not have).
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.descriptor = fd
    }

    private static func makeWakePipe() throws(SystemError) -> (Int32, Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SystemError(operation: "pipe", path: nil) }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        return (ends[0], ends[1])
    }

    deinit {
        // With a reader thread running, wake it and wait for it to leave its poll before closing,
        // so it never polls a descriptor number that was closed (and perhaps reused elsewhere).
        if started.withLock({ $0 }) {
            var one: UInt8 = 1
            _ = write(wakeWriter, &one, 1)
            readerExited.wait()
        }
        close(descriptor)
        close(wake)
        close(wakeWriter)
    }

    public func addWatch(path: String, mask: UInt32) throws(SystemError) -> Int32 {
        let watch = inotify_add_watch(descriptor, path, mask)
        guard watch >= 0 else { throw SystemError(operation: "inotify_add_watch", path: path) }
        return watch
    }

    public func removeWatch(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor, watch)
    }

    /// Whether `fd` is an inotify instance (`/proc/self/fd/N` reads `anon_inode:inotify`), so a
    /// descriptor handed over under the name `inotify` is checked before it is adopted.
    public static func isInotify(_ fd: Int32) -> Bool {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard count > 0 else { return false }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) == "anon_inode:inotify"
    }

    /// Bytes of events waiting to be read (`FIONREAD`): what an adopted instance queued while no
    /// one was reading.
    public var pendingBytes: Int {
        var count: Int32 = 0
        guard ioctl(descriptor, UInt(FIONREAD), &count) == 0 else { return 0 }
        return Int(count)
    }

    /// The watch descriptors this instance holds, from `/proc/self/fdinfo` (`inotify wd:<hex> …`
    /// lines); nil when that cannot be read. An adopted instance still has the watches its
    /// previous owner added.
    public func watchDescriptors() -> [Int32]? {
        guard let text = PseudoFile.read("/proc/self/fdinfo/\(descriptor)") else { return nil }
        return Self.watchDescriptors(fdinfo: text)
    }

    static func watchDescriptors(fdinfo text: String) -> [Int32] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("inotify wd:") else { return nil }
            let value = line.dropFirst("inotify wd:".count).prefix { $0 != " " }
            return Int32(value, radix: 16)
        }
    }

    /// Batches of events, in kernel order. Call once; the stream ends on `stop()` or a read error.
    public func events() -> AsyncStream<[InotifyEvent]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [InotifyEvent].self)
        let alreadyStarted = started.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        guard !alreadyStarted else {
            continuation.finish()
            return stream
        }
        let fd = descriptor, wake = wake, wakeWriter = wakeWriter, exited = readerExited
        continuation.onTermination = { _ in
            var one: UInt8 = 1
            _ = write(wakeWriter, &one, 1)
        }
        DetachedThread.start(name: "seedwatch-inotify") {
            Inotify.readLoop(fd: fd, wake: wake, continuation: continuation)
            exited.open()
        }
        return stream
    }

    /// Ends the event stream and its reader thread.
    public func stop() {
        var one: UInt8 = 1
        _ = write(wakeWriter, &one, 1)
    }

    private static func readLoop(fd: Int32, wake: Int32, continuation: AsyncStream<[InotifyEvent]>.Continuation) {
        // Large enough for a burst: the kernel queue is drained in few reads.
        let capacity = 256 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            // Retried here, not through `POSIX.retryingInterrupts`: with that, the outbox watcher of
            // LifecycleTests.overflow fell behind (past its limit in 4 runs of 4); cause not yet found.
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[1].revents != 0 { break }
            let count = POSIX.read(fd, into: buffer)
            if count < 0 {
                if errno == EAGAIN { continue }
                break
            }
            if count == 0 { break }
            let events = InotifyEventParser.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            if !events.isEmpty { continuation.yield(events) }
        }
        continuation.finish()
    }
}
