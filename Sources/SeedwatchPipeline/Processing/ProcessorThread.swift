import Dispatch

/// Runs one processor call on a thread of its own (a serial dispatch queue, which gets a
/// thread even when others are busy) instead of Swift's cooperative pool.
///
/// Why: the pool has one thread per core. CPU-bound processors on it would keep the timers that
/// enforce their time limits from running, so a processor stuck in a loop could not be cut off
/// and would hold the pool. Off the pool, the time limit fires on time and only that processor's
/// thread is lost until it returns.
final class ProcessorThread: TaskExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
