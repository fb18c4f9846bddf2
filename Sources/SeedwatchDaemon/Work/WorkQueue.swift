import DequeModule

/// The names of files waiting to be processed, in arrival order, each at most once.
///
/// Only names are held (never content), and at most `capacity` of them: past that, names are
/// dropped and a rescan of the watch folder finds them once the queue has drained, so memory
/// stays bounded under any burst.
actor WorkQueue {
    private var order = Deque<String>()
    private var queued: Set<String> = []
    private var inFlight: Set<String> = []
    /// Names that arrived again while being processed: queued again when done.
    private var again: Set<String> = []
    private var waiter: CheckedContinuation<String?, Never>?
    private var closed = false
    private var needsRescan = false
    private let capacity: Int
    private let rescan: @Sendable () -> [String]

    init(capacity: Int, rescan: @escaping @Sendable () -> [String]) {
        self.capacity = capacity
        self.rescan = rescan
    }

    var depth: Int { queued.count }
    var inFlightCount: Int { inFlight.count }

    func enqueue(_ name: String) {
        guard !closed else { return }
        if inFlight.contains(name) {
            again.insert(name)
            return
        }
        guard !queued.contains(name) else { return }
        guard queued.count < capacity else {
            needsRescan = true
            return
        }
        queued.insert(name)
        order.append(name)
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: pop())
        }
    }

    func enqueue(_ names: [String]) {
        for name in names { enqueue(name) }
    }

    /// Everything must be looked at again (the kernel dropped events).
    func requestRescan() {
        needsRescan = true
        if let waiter, let next = refill() {
            self.waiter = nil
            waiter.resume(returning: next)
        }
    }

    /// The next name to process, marked in flight; nil once closed and empty of new work.
    func next() async -> String? {
        if let name = pop() ?? refill() { return name }
        if closed || Task.isCancelled { return nil }
        // Cancellation (a hard stop) closes the queue so the waiting consumer returns.
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiter = continuation
            }
        } onCancel: {
            Task { await self.close() }
        }
    }

    /// Marks `name` done; returns true when nothing is left queued or in flight.
    @discardableResult
    func complete(_ name: String) -> Bool {
        inFlight.remove(name)
        if again.remove(name) != nil { enqueue(name) }
        return queued.isEmpty && inFlight.isEmpty
    }

    /// Stops handing out work: the consumer's pending `next()` returns nil.
    func close() {
        closed = true
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: nil)
        }
    }

    private func pop() -> String? {
        guard let name = order.popFirst() else { return nil }
        queued.remove(name)
        inFlight.insert(name)
        return name
    }

    private func refill() -> String? {
        guard needsRescan, !closed else { return nil }
        needsRescan = false
        for name in rescan() { enqueue(name) }
        return pop()
    }
}
