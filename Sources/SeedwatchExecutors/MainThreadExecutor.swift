#if canImport(Glibc)
import Glibc
#endif
@_spi(ExperimentalCustomExecutors) import _Concurrency

/// The main actor's executor: runs its jobs on the thread that calls `run()`, which must be the
/// thread that created it (the process's main thread when installed by `DaemonExecutors`).
/// Waiting for work is a plain `pthread_cond_wait`, so an idle main thread never wakes.
final class MainThreadExecutor: MainExecutor, @unchecked Sendable {
    private let monitor = ThreadMonitor()
    private let owner = pthread_self()
    // Guarded by `monitor`.
    private var runnable = FIFO<UnownedJob>()
    private var stopRequested = false

    init() {}

    var isMainExecutor: Bool { true }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        monitor.withLock {
            runnable.append(job)
            monitor.signal()
        }
    }

    func run() throws {
        try runUntil { false }
    }

    /// Runs jobs until `condition` holds (checked between jobs) or `stop()` is called. Called on
    /// another thread than the owner, it returns at once: jobs of the main actor must never run
    /// off the thread that `checkIsolated` vouches for.
    func runUntil(_ condition: () -> Bool) throws {
        guard isOwnerThread else { return }
        let executor = asUnownedSerialExecutor()
        while !condition() {
            monitor.lock()
            while runnable.isEmpty && !stopRequested { monitor.wait() }
            if stopRequested {
                stopRequested = false
                monitor.unlock()
                return
            }
            let job = runnable.popFirst()
            monitor.unlock()
            job?.runSynchronously(on: executor)
        }
    }

    func stop() {
        monitor.withLock {
            stopRequested = true
            monitor.signal()
        }
    }

    func checkIsolated() {
        precondition(isOwnerThread, "expected to be on the main actor's thread")
    }

    func isIsolatingCurrentContext() -> Bool? {
        isOwnerThread
    }

    private var isOwnerThread: Bool { pthread_equal(pthread_self(), owner) != 0 }
}
