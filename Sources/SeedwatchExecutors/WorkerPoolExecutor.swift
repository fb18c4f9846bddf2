#if canImport(Glibc)
import Glibc
#endif
@_spi(ExperimentalCustomExecutors) @_spi(ExperimentalScheduling) import _Concurrency

/// The daemon's default (global) executor: a fixed set of plain pthreads sharing one run queue and
/// one heap of delayed jobs (`Task.sleep`), never touching libdispatch.
///
/// Why: libdispatch's worker pool arms a 1 s monitor timer once its first worker starts, so an
/// idle daemon on the default executor woke up every second (issue 9). Here idle workers block in
/// `pthread_cond_wait`; at most one of them (the timer waiter) waits with a timeout, for the
/// earliest delayed job, so with nothing scheduled nothing wakes.
final class WorkerPoolExecutor: TaskExecutor, SchedulingExecutor, @unchecked Sendable {
    private static let work = 0
    private static let timer = 1

    private let monitor = ThreadMonitor(conditions: 2)
    // Guarded by `monitor`.
    private var runnable = FIFO<UnownedJob>()
    private var delayed = DeadlineHeap<UnownedJob>()
    private var idleWorkers = 0
    private var timerWaiterActive = false
    private var delayedJobsScheduled = 0

    /// Delayed jobs scheduled so far: tests check that `Task.sleep` comes here, not to libdispatch.
    var delayedJobCount: Int { monitor.withLock { delayedJobsScheduled } }

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

    var isMainExecutor: Bool { false }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        monitor.withLock {
            runnable.append(job)
            wakeOneWorker()
        }
    }

    func enqueue<C: Clock>(
        _ job: consuming ExecutorJob, after delay: C.Duration, tolerance: C.Duration? = nil, clock: C
    ) {
        // Every standard clock measures in `Duration`; an unknown one runs the job now rather than never.
        guard let delay = delay as? Duration, delay > .zero else {
            enqueue(job)
            return
        }
        let deadline = MonotonicClock.deadline(after: delay)
        let job = UnownedJob(job)
        monitor.withLock {
            let previousEarliest = delayed.earliestDeadline ?? .max
            delayed.insert(job, deadline: deadline)
            delayedJobsScheduled += 1
            if timerWaiterActive {
                if deadline < previousEarliest { monitor.signal(Self.timer) }
            } else if idleWorkers > 0 {
                // An idle worker becomes the timer waiter; if all are busy, the next one to go idle is.
                monitor.signal(Self.work)
            }
        }
    }

    func enqueue<C: Clock>(
        _ job: consuming ExecutorJob, at instant: C.Instant, tolerance: C.Duration? = nil, clock: C
    ) {
        enqueue(job, after: clock.now.duration(to: instant), tolerance: tolerance, clock: clock)
    }

    /// With the lock held: a plain idle worker if there is one, else the timer waiter (which runs
    /// the job and hands the timer role to the next worker going idle).
    private func wakeOneWorker() {
        if idleWorkers > 0 {
            monitor.signal(Self.work)
        } else if timerWaiterActive {
            monitor.signal(Self.timer)
        }
    }

    private func workerLoop() {
        let executor = asUnownedTaskExecutor()
        monitor.lock()
        while true {
            if !delayed.isEmpty {
                let now = MonotonicClock.now
                while let due = delayed.popDue(now: now) { runnable.append(due) }
            }
            if let job = runnable.popFirst() {
                // Keep the others busy, and someone watching the delayed jobs.
                if idleWorkers > 0, !runnable.isEmpty || (!delayed.isEmpty && !timerWaiterActive) {
                    monitor.signal(Self.work)
                }
                monitor.unlock()
                job.runSynchronously(on: executor)
                monitor.lock()
                continue
            }
            if let deadline = delayed.earliestDeadline, !timerWaiterActive {
                timerWaiterActive = true
                monitor.wait(Self.timer, until: deadline)
                timerWaiterActive = false
            } else {
                idleWorkers += 1
                monitor.wait(Self.work)
                idleWorkers -= 1
            }
        }
    }
}
