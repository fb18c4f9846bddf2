import Glibc
import SeedwatchExecutors

/// A named thread of its own for a blocking loop (an inotify read, a child's pipe, a `waitpid`):
/// work that must not sit on Swift's cooperative pool. A plain pthread, detached, so the daemon
/// needs no Foundation `Thread` (and so no libFoundation or ICU in memory).
public enum DetachedThread {
    /// Starts `body` on a new thread named `name` (the kernel keeps its first 15 bytes). If the
    /// system refuses a thread, `body` still runs, on the blocking pool once one of its threads is
    /// free, rather than never.
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        if !spawn(Start(name: name, body: body)) {
            BlockingThreadPool.shared.execute(body)
        }
    }

    private static func spawn(_ start: Start) -> Bool {
        let context = Unmanaged.passRetained(start).toOpaque()
        var thread = pthread_t()
        if pthread_create(&thread, nil, threadEntry, context) != 0 {
            Unmanaged<Start>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    fileprivate static func run(_ context: UnsafeMutableRawPointer) {
        let start = Unmanaged<Start>.fromOpaque(context).takeRetainedValue()
        nameThisThread(start.name)
        start.body()
    }

    /// Through `/proc/thread-self/comm`, which is what `pthread_setname_np` does on Linux
    /// (glibc's declaration is hidden from Swift). Best effort: a name is for `top -H` and `perf`.
    private static func nameThisThread(_ name: String) {
        var name = name
        while name.utf8.count > 15 { name.removeLast() }
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = name.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    private final class Start: Sendable {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}

private func threadEntry(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    if let context { DetachedThread.run(context) }
    return nil
}
