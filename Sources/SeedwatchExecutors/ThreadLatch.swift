/// A one-way gate a thread can block on until another opens it: `DispatchSemaphore(value: 0)`
/// for a single `signal`, without libdispatch. Blocks the calling thread, so never from a task.
public final class ThreadLatch: Sendable {
    private let monitor = ThreadMonitor()
    // Guarded by `monitor`; written once.
    private nonisolated(unsafe) var isOpen = false

    public init() {}

    /// Opens the gate: current and later `wait()` calls return.
    public func open() {
        monitor.withLock {
            isOpen = true
            monitor.broadcast()  // every thread waiting, as the comment above promises
        }
    }

    /// Blocks until `open()` was called.
    public func wait() {
        monitor.withLock {
            while !isOpen { monitor.wait() }
        }
    }
}
