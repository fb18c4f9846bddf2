import Glibc
import SeedwatchCore
import SeedwatchExecutors

/// Reports changes of this process's mount table: `poll(2)` on `/proc/self/mountinfo` wakes with
/// `POLLPRI` when a file system is mounted or unmounted anywhere (`man 5 proc`). A thread of its
/// own waits in `poll`, so an idle daemon is never woken by it.
public final class MountWatcher: Sendable {
    private let descriptor: Int32
    private let wake: Int32
    private let wakeWriter: Int32
    private let readerExited = ThreadLatch()
    private let started = Locked(false)

    public init() throws(SystemError) {
        let fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(operation: "open", path: "/proc/self/mountinfo") }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            let error = SystemError(operation: "pipe", path: nil)
            close(fd)
            throw error
        }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        descriptor = fd
        (wake, wakeWriter) = (ends[0], ends[1])
    }

    deinit {
        if started.withLock({ $0 }) {
            stop()
            readerExited.wait()
        }
        close(descriptor)
        close(wake)
        close(wakeWriter)
    }

    /// One element per change of the mount table (several changes may come as one). Call once;
    /// the stream ends on `stop()`.
    public func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let first = started.withLock { value -> Bool in
            defer { value = true }
            return !value
        }
        guard first else {
            continuation.finish()
            return stream
        }
        let fd = descriptor, wake = wake, wakeWriter = wakeWriter, exited = readerExited
        continuation.onTermination = { _ in
            var one: UInt8 = 1
            _ = write(wakeWriter, &one, 1)
        }
        DetachedThread.start(name: "seedwatch-mounts") {
            var fds = [pollfd(fd: fd, events: Int16(POLLPRI), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            while true {
                fds[0].revents = 0
                fds[1].revents = 0
                let ready = poll(&fds, 2, -1)
                if ready < 0 {
                    if errno == EINTR { continue }
                    break
                }
                if fds[1].revents != 0 { break }
                // The kernel marks the change seen in its poll: nothing needs reading.
                if fds[0].revents & Int16(POLLPRI | POLLERR) != 0 { continuation.yield() }
            }
            continuation.finish()
            exited.open()
        }
        return stream
    }

    public func stop() {
        var one: UInt8 = 1
        _ = write(wakeWriter, &one, 1)
    }
}
