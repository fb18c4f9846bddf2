#if canImport(Glibc)
import Glibc
#endif
@_spi(ExperimentalCustomExecutors) import _Concurrency

/// Replaces Swift concurrency's default executors (libdispatch's on Linux) with
/// `WorkerPoolExecutor` and `MainThreadExecutor`, so that an idle daemon does not wake up.
///
/// `SEEDWATCH_EXECUTOR=dispatch` keeps the runtime's own executors: the operator's way back
/// should these ever misbehave.
public enum DaemonExecutors {
    /// The environment variable that selects the executors, and its value that keeps the runtime's.
    public static let environmentVariable = "SEEDWATCH_EXECUTOR"
    public static let dispatchChoice = "dispatch"

    /// Installs the executors unless `SEEDWATCH_EXECUTOR=dispatch`; true when installed. Must be
    /// called on the main thread before any task exists (from a synchronous `main`): the runtime
    /// reads its executors once, when the first task is enqueued, and later calls hang.
    @discardableResult
    public static func installUnlessDisabled() -> Bool {
        if let choice = getenv(environmentVariable), String(cString: choice) == dispatchChoice { return false }
        // The factory's executors are created here, on the main thread, which the main executor
        // then belongs to; a pool the system gave no thread would never run anything.
        guard DaemonExecutorFactory.pool.threadCount > 0 else { return false }
        _ = DaemonExecutorFactory.main
        _createExecutors(factory: DaemonExecutorFactory.self)
        return true
    }

    /// Runs `body` as the program: on the main actor's executor, which this thread then drives
    /// until `body` calls `exit` (it must: `run()` only returns when stopped).
    public static func runMain(_ body: @escaping @MainActor @Sendable () async -> Never) throws {
        Task { @MainActor in await body() }
        try MainActor.executor.run()
    }
}

/// What `_createExecutors` reads the executors from.
struct DaemonExecutorFactory: ExecutorFactory {
    static let main = MainThreadExecutor()
    static let pool = WorkerPoolExecutor(threadCount: Threads.processorCount, name: "seedwatch-pool")

    static var mainExecutor: any MainExecutor { main }
    static var defaultExecutor: any TaskExecutor { pool }
}
