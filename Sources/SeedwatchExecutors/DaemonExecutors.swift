#if canImport(Glibc)
import Glibc
#endif

/// Where the daemon's tasks run, through public Swift concurrency only (SE-0417 task executors).
///
/// The program's root task prefers `WorkerPoolExecutor`; its child tasks and the default actors
/// they call inherit that, so they run on the pool instead of libdispatch's, which an idle daemon
/// would see wake up every second. Unstructured tasks do not inherit a preference: create them with
/// `Task(executorPreference: DaemonExecutors.preferred)`, and sleep with `DaemonExecutors.sleep`,
/// which `Task.sleep` (a libdispatch timer) would otherwise be.
///
/// `SEEDWATCH_EXECUTOR=dispatch` keeps the runtime's own executors: the operator's way back
/// should ours ever misbehave.
public enum DaemonExecutors {
    /// The environment variable that selects the executors, and its value that keeps the runtime's.
    public static let environmentVariable = "SEEDWATCH_EXECUTOR"
    public static let dispatchChoice = "dispatch"

    /// The executor every task of the daemon prefers: the worker pool, started at first use; nil
    /// (the runtime's default executor) with `SEEDWATCH_EXECUTOR=dispatch`, or if the system gave
    /// the pool no thread.
    public static var preferred: (any TaskExecutor)? { pool }

    static let pool: WorkerPoolExecutor? = {
        if let choice = getenv(environmentVariable), String(cString: choice) == dispatchChoice { return nil }
        let pool = WorkerPoolExecutor(threadCount: Threads.processorCount, name: "seedwatch-pool")
        return pool.threadCount > 0 ? pool : nil
    }()

    /// Runs `body` as the program, in a root task that prefers `preferred`, and blocks the calling
    /// (main) thread without ever waking it: `body` ends the process by calling `exit`.
    public static func runMain(_ body: @escaping @Sendable () async -> Never) -> Never {
        Task(executorPreference: preferred) { await body() }
        let never = ThreadLatch()
        while true { never.wait() }
    }

    /// Suspends the calling task for `duration` (throws `CancellationError` at once if cancelled).
    /// On our executors the wake-up comes from `LimitTimers`' thread; with the runtime's, this is
    /// `Task.sleep`.
    public static func sleep(for duration: Duration) async throws {
        guard pool != nil else {
            try await Task.sleep(for: duration)
            return
        }
        try await TimerSleep.sleep(for: duration, timers: LimitTimers.shared)
    }

    /// As `sleep(for:)`, until `deadline`.
    public static func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await sleep(for: ContinuousClock.now.duration(to: deadline))
    }
}
