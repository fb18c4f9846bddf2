import DequeModule
#if canImport(Glibc)
import Glibc
#endif

/// The executor the daemon's tasks prefer (`DaemonExecutors`): a fixed set of plain pthreads
/// sharing one run queue, never touching libdispatch.
///
/// Why: libdispatch's worker pool arms a 1 s monitor timer once its first worker starts, so an
/// idle daemon on the default executor woke up every second (issue 9). Here idle workers block in
/// `pthread_cond_wait` without a timeout, so with nothing to run nothing wakes. Delayed work
/// (`DaemonExecutors.sleep`) waits on `LimitTimers`' thread, not here.
final class WorkerPoolExecutor: TaskExecutor, @unchecked Sendable {
    private let monitor = ThreadMonitor()
    // Guarded by `monitor`.
    private var runnable = Deque<UnownedJob>()
    private var idleWorkers = 0

    /// The workers that could be started (0 if the system refused every thread).
    private(set) var threadCount = 0

    /// Starts `threadCount` workers named `name-0`, `name-1`, ….
    init(threadCount: Int, name: String) {
        var started = 0
        for index in 0..<max(1, threadCount) where Threads.start(name: "\(name)-\(index)", { [self] in workerLoop() }) {
            started += 1
        }
        self.threadCount = started
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        monitor.withLock {
            runnable.append(job)
            if idleWorkers > 0 { monitor.signal() }
        }
    }

    private func workerLoop() {
        let executor = asUnownedTaskExecutor()
        monitor.lock()
        while true {
            if let job = runnable.popFirst() {
                // Keep the others busy.
                if idleWorkers > 0, !runnable.isEmpty { monitor.signal() }
                monitor.unlock()
                job.runSynchronously(on: executor)
                monitor.lock()
                continue
            }
            idleWorkers += 1
            monitor.wait()
            idleWorkers -= 1
        }
    }
}
