import DequeModule
#if canImport(Glibc)
import Glibc
#endif

/// Threads for work that may block or spin for long (a processor call, a write to a plugin's
/// pipe, `sd_notify`): grows by one thread whenever every thread is busy, so a stuck piece of
/// work holds only its own thread and never delays the next one; a thread idle for `keepAlive`
/// exits. Idle threads wait without a timeout until then, so an idle pool never wakes but once.
///
/// Jobs run in the order they were submitted, as soon as a thread is free (or made).
public final class BlockingThreadPool: @unchecked Sendable {
    /// The process's pool, named `seedwatch-block` in `top -H`.
    public static let shared = BlockingThreadPool(name: "seedwatch-block", keepAlive: .seconds(10))

    private enum Work {
        case closure(@Sendable () -> Void)
        case job(UnownedJob, UnownedTaskExecutor)
    }

    private let name: String
    private let keepAlive: Duration
    private let monitor = ThreadMonitor()
    // Guarded by `monitor`.
    private var pending = Deque<Work>()
    private var idleThreads = 0
    private var threads = 0
    private var threadsStarted = 0

    public init(name: String, keepAlive: Duration) {
        self.name = name
        self.keepAlive = keepAlive
    }

    /// Runs `body` on a thread of the pool.
    public func execute(_ body: @escaping @Sendable () -> Void) {
        submit(.closure(body))
    }

    /// Runs `job` on a thread of the pool, as `executor`'s job.
    func execute(_ job: UnownedJob, on executor: UnownedTaskExecutor) {
        submit(.job(job, executor))
    }

    /// Threads alive now (idle or busy), for tests and status.
    public var threadCount: Int { monitor.withLock { threads } }

    private func submit(_ work: Work) {
        let spawnIndex: Int? = monitor.withLock {
            pending.append(work)
            // Each idle thread takes one piece of work when it wakes; more pending than that,
            // and a new thread is needed.
            if idleThreads >= pending.count {
                monitor.signal()
                return nil
            }
            threads += 1
            threadsStarted += 1
            return threadsStarted
        }
        guard let spawnIndex else { return }
        if !Threads.start(name: "\(name)-\(spawnIndex)", { [self] in workLoop() }) {
            // The system refused a thread: the work waits for a busy thread to come free (or for
            // the next submission to get one), as it would in any pool at its limit.
            monitor.withLock { threads -= 1 }
        }
    }

    private func workLoop() {
        monitor.lock()
        while true {
            if let work = pending.popFirst() {
                monitor.unlock()
                switch work {
                case let .closure(body): body()
                case let .job(job, executor): job.runSynchronously(on: executor)
                }
                monitor.lock()
                continue
            }
            idleThreads += 1
            let timedOut = monitor.wait(until: MonotonicClock.deadline(after: keepAlive))
            idleThreads -= 1
            if timedOut && pending.isEmpty {
                threads -= 1
                monitor.unlock()
                return
            }
        }
    }
}

/// Closures (or a task's jobs) run one at a time, in order, on `BlockingThreadPool` threads:
/// the serial queue a blocking writer or a processor call needs, holding no thread while empty.
public final class SerialThreadQueue: TaskExecutor, @unchecked Sendable {
    private let pool: BlockingThreadPool
    private let state = ThreadMonitor()
    // Guarded by `state`.
    private var pending = Deque<Work>()
    private var draining = false

    private enum Work {
        case closure(@Sendable () -> Void)
        case job(UnownedJob)
    }

    public init(pool: BlockingThreadPool = .shared) {
        self.pool = pool
    }

    /// Runs `body` after everything queued before it.
    public func async(_ body: @escaping @Sendable () -> Void) {
        submit(.closure(body))
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        submit(.job(UnownedJob(job)))
    }

    private func submit(_ work: Work) {
        let startDrain = state.withLock {
            pending.append(work)
            defer { draining = true }
            return !draining
        }
        if startDrain { pool.execute { [self] in drain() } }
    }

    /// One pool thread at a time empties the queue, so the queue is serial without a thread of its own.
    private func drain() {
        let executor = asUnownedTaskExecutor()
        while true {
            let next: Work? = state.withLock {
                let work = pending.popFirst()
                if work == nil { draining = false }
                return work
            }
            switch next {
            case nil: return
            case let .closure(body): body()
            case let .job(job): job.runSynchronously(on: executor)
            }
        }
    }
}

extension BlockingThreadPool {
    /// Runs `body` on a thread of the pool and returns what it returns: for a call that blocks
    /// (a write and its `fsync`s) and must not hold a thread of Swift's pool, which has only one
    /// per core.
    public func run<Value: Sendable, Failure: Error>(
        _ body: @escaping @Sendable () throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        let outcome: Result<Value, Failure> = await withCheckedContinuation { continuation in
            execute { continuation.resume(returning: Result(catching: body)) }
        }
        return try outcome.get()
    }
}
