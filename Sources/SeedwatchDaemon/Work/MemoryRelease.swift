import CMalloc
import Synchronization

/// Gives the heap memory a burst freed back to the system once the work queue is empty.
///
/// Why: glibc keeps freed memory in its arenas (one per thread that allocated, up to 8 per
/// core), so without this the resident size stays at a burst's high-water mark for good.
/// `malloc_trim(0)` returns the free pages of every arena (a few MiB after the 2,225 BBC
/// articles; the rest of the growth is processor state and library pages, docs/BENCHMARKS.md). It runs on the task that finished the
/// last document, never on a timer (an idle daemon never wakes up for it), and at most once per
/// `minimumInterval`, so a trickle of documents that each empty the queue does not pay for a
/// trim every time.
final class MemoryRelease: Sendable {
    private let minimumInterval: Duration
    private let lastTrim = Mutex<ContinuousClock.Instant?>(nil)

    /// Caps glibc's arenas at one per core (its default is eight per core), unless the operator
    /// chose with `MALLOC_ARENA_MAX`. Each arena keeps its own free memory; with processors on
    /// threads of their own the process had a dozen, holding ~10 MiB more after a burst
    /// (docs/BENCHMARKS.md). Call before the threads that allocate start.
    static func limitArenas(cores: Int, environment: [String: String]) {
        guard environment["MALLOC_ARENA_MAX"] == nil else { return }
        _ = mallopt(M_ARENA_MAX, Int32(clamping: max(2, cores)))
    }

    init(minimumInterval: Duration = .seconds(1)) {
        self.minimumInterval = minimumInterval
    }

    /// Called after each document; trims when `queueIdle` and the last trim is old enough.
    /// Returns whether it trimmed.
    @discardableResult
    func documentFinished(queueIdle: Bool) -> Bool {
        guard queueIdle else { return false }
        let now = ContinuousClock.now
        let due = lastTrim.withLock { last -> Bool in
            if let last, now - last < minimumInterval { return false }
            last = now
            return true
        }
        if due { _ = malloc_trim(0) }
        return due
    }
}
