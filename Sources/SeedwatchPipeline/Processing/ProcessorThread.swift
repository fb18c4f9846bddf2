import SeedwatchExecutors

/// Runs one processor call on threads of its own (a serial queue on `BlockingThreadPool`, which
/// adds a thread when all of its threads are busy) instead of Swift's cooperative pool.
///
/// Why: the pool has one thread per core. CPU-bound processors on it would keep the tasks
/// awaiting them from running, and a processor stuck in a loop would hold a pool thread for good.
/// Off the pool, only that processor's thread is lost until it returns; its time limit fires
/// from `LimitTimers`' own thread, on time.
enum ProcessorThread {
    /// A fresh serial executor for one call: the call's jobs never run two at a time.
    static func make() -> SerialThreadQueue {
        SerialThreadQueue(pool: .shared)
    }
}
