import CMalloc
import SeedwatchCore

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
    private let lastTrim = Locked<ContinuousClock.Instant?>(nil)

    /// glibc's initial threshold above which a block gets a mapping of its own.
    static let mmapThreshold: Int32 = 128 * 1024
    /// Free memory at the top of the heap that `free` keeps instead of giving back.
    static let trimThreshold: Int32 = 2 * 1024 * 1024

    /// Tunes glibc's allocator for a long-running process; a setting the operator made with its
    /// `MALLOC_*` variable is left alone. Call before the threads that allocate start.
    ///
    /// - Arenas: at most one per core (glibc's default is eight per core). Each arena keeps its
    ///   own free memory; with processors on threads of their own the process had a dozen,
    ///   holding ~10 MiB more after a burst (docs/BENCHMARKS.md).
    /// - Mapping threshold: fixed at 128 KiB. glibc otherwise raises it to the largest mapped block
    ///   freed so far, and loading the entity model frees blocks of several MiB. After that, every
    ///   large block (a growing dictionary's new storage, hundreds of KiB) came from the arenas
    ///   and left holes there that `malloc_trim` cannot give back: ~5 MiB of the steady RSS.
    /// - Trim threshold: 2 MiB. Fixing the mapping threshold also fixes this one at glibc's
    ///   128 KiB, and then `free` shrank and regrew the heap several times per document (brk
    ///   calls and page faults); the trim when the queue drains still gives everything back.
    static func configureAllocator(cores: Int, environment: [String: String]) {
        if environment["MALLOC_ARENA_MAX"] == nil {
            _ = mallopt(M_ARENA_MAX, Int32(clamping: max(2, cores)))
        }
        if environment["MALLOC_MMAP_THRESHOLD_"] == nil {
            _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
        }
        if environment["MALLOC_TRIM_THRESHOLD_"] == nil {
            _ = mallopt(M_TRIM_THRESHOLD, trimThreshold)
        }
    }

    init(minimumInterval: Duration = .seconds(1)) {
        self.minimumInterval = minimumInterval
    }

    /// Called when a processor call cut at its time limit returns at last, after its document
    /// was finished and the queue's trim done: a call on a document of megabytes frees hundreds
    /// of MiB then, which stayed resident for good (docs/BENCHMARKS.md, "Memory"). Always trims:
    /// such calls are rare, and the interval would skip one ending within a second of a trim.
    func overrunEnded() {
        lastTrim.withLock { $0 = ContinuousClock.now }
        _ = malloc_trim(0)
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
