#if canImport(Glibc)
import Glibc
#endif

/// Starting and naming plain pthreads: this module's, and the daemon's own (`DetachedThread`).
public enum Threads {
    /// Starts a detached thread named `name` running `body`; false when the system refuses one.
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        let context = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, startEntry, context) == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    /// The number of online CPUs, at least 1.
    static var processorCount: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// Through `/proc/thread-self/comm`, which is what `pthread_setname_np` does on Linux (glibc's
    /// declaration is hidden from Swift). Best effort: a name is for `top -H`, `perf` and tests.
    static func nameCurrentThread(_ name: String) {
        let bytes = Array(name.utf8.prefix(15))
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    fileprivate final class Start: Sendable {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}

private func startEntry(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let start = Unmanaged<Threads.Start>.fromOpaque(context).takeRetainedValue()
    Threads.nameCurrentThread(start.name)
    start.body()
    return nil
}
