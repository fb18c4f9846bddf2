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
        if !Threads.start(name: name, body) {
            BlockingThreadPool.shared.execute(body)
        }
    }
}
