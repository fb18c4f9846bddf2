import DequeModule
import Logging
import SeedwatchIngest
import SeedwatchExecutors

/// The names of files waiting to be processed, in arrival order, each at most once.
///
/// Only names are held (never content), and at most `capacity` of them: past that, names are
/// dropped. Once the queue has room, rescans of the watch folder find them again: each rescan
/// takes up to `capacity` names in the catch-up scan's order (mtime, then name), from where the
/// previous one stopped, so every file is reached however far the backlog exceeds the capacity,
/// and memory stays bounded under any burst.
///
/// Names are told apart by their bytes: Swift's `String ==` and `String` hashing treat two
/// spellings that differ only in Unicode normalisation (`café` as NFC and as NFD) as equal, but
/// the file system holds them as two files.
actor WorkQueue {
    private var order = Deque<String>()
    private var queued: Set<FileName> = []
    private var inFlight: Set<FileName> = []
    /// Names that arrived again while being processed: queued again when done.
    private var again: Set<FileName> = []
    private var waiter: CheckedContinuation<String?, Never>?
    private var closed = false
    private var rescans = RescanPass()
    private let capacity: Int
    private let rescan: @Sendable () -> [ScannedFile]
    private let logger: Logger

    /// `rescan`: the files of the watch folder still to be processed, in queue order.
    init(capacity: Int, logger: Logger = Logger(label: "seedwatch"), rescan: @escaping @Sendable () -> [ScannedFile]) {
        self.capacity = max(capacity, 1)
        self.logger = logger
        self.rescan = rescan
    }

    var depth: Int { queued.count }
    var inFlightCount: Int { inFlight.count }

    func enqueue(_ name: String) {
        guard !closed else { return }
        if !add(name) { dropped() }
        if let waiter, let next = pop() {
            self.waiter = nil
            waiter.resume(returning: next)
        }
    }

    func enqueue(_ names: [String]) {
        for name in names { enqueue(name) }
    }

    /// Everything must be looked at again (the kernel dropped events).
    func requestRescan() {
        rescans.namesLost()
        if let waiter, let next = refill() {
            self.waiter = nil
            waiter.resume(returning: next)
        }
    }

    /// The next name to process, marked in flight; nil once closed (on SIGTERM: whatever is
    /// still queued stays on disk for the next start).
    func next() async -> String? {
        if closed || Task.isCancelled { return nil }
        if let name = pop() ?? refill() { return name }
        // Cancellation (a hard stop) closes the queue so the waiting consumer returns.
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiter = continuation
            }
        } onCancel: {
            Task(executorPreference: DaemonExecutors.preferred) { await self.close() }
        }
    }

    /// Marks `name` done; returns true when nothing is left queued or in flight.
    @discardableResult
    func complete(_ name: String) -> Bool {
        let key = FileName(name)
        inFlight.remove(key)
        if again.remove(key) != nil { enqueue(name) }
        return queued.isEmpty && inFlight.isEmpty
    }

    /// Forgets a name handed out but never started (shutdown came first).
    func abandon(_ name: String) {
        let key = FileName(name)
        inFlight.remove(key)
        again.remove(key)
    }

    var isClosed: Bool { closed }

    /// Stops handing out work: the consumer's pending `next()` returns nil.
    func close() {
        closed = true
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: nil)
        }
    }

    /// Queues `name` unless it is queued already; false when the queue is full.
    private func add(_ name: String) -> Bool {
        let key = FileName(name)
        if inFlight.contains(key) {
            again.insert(key)
            return true
        }
        guard !queued.contains(key) else { return true }
        guard queued.count < capacity else { return false }
        queued.insert(key)
        order.append(name)
        return true
    }

    private func dropped() {
        rescans.namesLost()
        rescans.dropped += 1
    }

    private func pop() -> String? {
        guard !closed, let name = order.popFirst() else { return nil }
        let key = FileName(name)
        queued.remove(key)
        inFlight.insert(key)
        return name
    }

    /// The next stretch of the rescan pass, once the queue has emptied.
    private func refill() -> String? {
        // At most two rounds: a pass that ends with names lost during it starts another at once.
        while rescans.needed, !closed {
            rescans.begin()
            if rescans.dropped > 0 && !rescans.warned {
                rescans.warned = true
                logger.warning(
                    "work queue full (ingest.max_pending=\(capacity)): \(rescans.dropped) names dropped; rescanning the watch folder to find them",
                    metadata: ["ingest.event": "queue_full", "ingest.dropped": "\(rescans.dropped)"]
                )
            }
            for file in rescan() where rescans.isAhead(file) {
                guard queued.count < capacity else {
                    rescans.needed = true  // the pass goes on from here once these are done
                    return pop()
                }
                _ = add(file.path)
                rescans.reached(file)
            }
            if let dropped = rescans.finish() {
                logger.info(
                    "work queue caught up: the \(dropped) names dropped while it was full were found again",
                    metadata: ["ingest.event": "queue_caught_up", "ingest.dropped": "\(dropped)"]
                )
            }
            if let next = pop() { return next }
        }
        return nil
    }
}

/// A file name as the file system spells it (see `WorkQueue`).
private struct FileName: Hashable {
    let bytes: [UInt8]

    init(_ name: String) { bytes = Array(name.utf8) }
}

/// Where the rescans stand: a pass walks the watch folder in queue order, a stretch at a time;
/// names dropped or events lost during a pass call for another pass from the start, since what
/// was lost may lie behind the point reached.
struct RescanPass {
    /// A rescan must run (or go on) once the queue is empty.
    var needed = false
    /// Names dropped since the queue was last caught up, and whether that was logged.
    var dropped = 0
    var warned = false
    private var running = false
    private var lostDuringPass = false
    private var position: ScannedFile?

    mutating func namesLost() {
        needed = true
        if running { lostDuringPass = true }
    }

    mutating func begin() {
        needed = false
        guard !running else { return }
        running = true
        lostDuringPass = false
        position = nil
    }

    func isAhead(_ file: ScannedFile) -> Bool {
        guard let position else { return true }
        return position.precedes(file)
    }

    mutating func reached(_ file: ScannedFile) { position = file }

    /// Ends the pass; returns the names dropped when this caught the queue up.
    mutating func finish() -> Int? {
        running = false
        position = nil
        if lostDuringPass {
            needed = true
            return nil
        }
        defer { (dropped, warned) = (0, false) }
        return dropped > 0 ? dropped : nil
    }
}
