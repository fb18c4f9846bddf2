import SeedwatchExecutors

/// Group commit: the state writes of documents whose ordered step finished while a batch was
/// being written go together into the next one, one transaction (`StateBatch`) instead of one each.
///
/// Writes are queued in order (`enqueue`) and visible to reads at once (`pending`), so a document's
/// turn never waits for the disk: it queues its changes and leaves the turn, and waits for them
/// after it (`StateCommit.wait`). A waiter takes everything queued and applies it in one
/// transaction; waiters that come while it writes wait for the lock, and the first of them writes
/// everything queued meanwhile in the next. Batches are taken and applied under one lock, so they
/// reach the back end in queue order.
///
/// Gathering: on a small machine a commit often ends before the next document is ready, so each
/// document would commit alone. Where the pipeline counts its documents in flight
/// (`documentStarted`), a waiter does not write at once while fewer callers wait than documents
/// are in flight: it holds back until every document still in flight waits too (the others
/// finished), `gatherDocuments` wait, or `gatherBound` has passed since the first of them began
/// to wait, whichever comes first. A document alone never holds back, and the bound caps what
/// gathering adds to a document's latency.
///
/// A failed batch fails every write in it, and every state write queued after it: those were
/// computed on top of the lost ones. `generation` then changes, so the processors reload their
/// state from the store before their next document, and a write made on the old generation is
/// refused (`enqueue` with a `generation`). Ledger rows depend on no earlier write and stay queued.
public final class GroupCommit: Sendable {
    /// Why a queued write was not made.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    private struct Item {
        var position: UInt64
        var namespace: String
        var changes: [ProcessorStateChange]
        var entries: [LedgerEntry]
        var indexChanges: [DocumentIndexChange] = []
        /// The generation the write was computed on; nil for writes that depend on no earlier one.
        var generation: UInt64?
        /// For a write nobody waits for (the dashboard index's): told why it was not made.
        var failed: (@Sendable (any Error) -> Void)?
    }

    private struct Queue {
        var items: [Item] = []
        var nextPosition: UInt64 = 1
        /// Settled positions that failed, until their waiter reads why.
        var failures: [UInt64: String] = [:]
        var generation: UInt64 = 0
        /// The latest queued change of each key, and the position that made it.
        var overlay: [StateBatch.Key: (change: ProcessorStateChange, position: UInt64)] = [:]
        var batches = 0
        /// Documents the pipeline has started and not finished (0: nobody counts; never gather).
        var inFlight = 0
        /// Callers inside `wait`.
        var waiting = 0
        /// The gathering under way (its timer writes the batch at the bound), if any.
        var gathering: UInt64?
        var gatherings: UInt64 = 0
        /// Waiters gathering, resumed when the next batch has been written.
        var parked: [CheckedContinuation<Bool, Never>] = []
    }



    private let queue = Locked(Queue())
    /// Held while a batch is taken and applied: batches reach the writer one at a time, in order.
    private let serial = Locked(())
    private let writer: any StateBatchWriter
    private let gatherBound: Duration
    private let gatherDocuments: Int

    /// `gatherBound`, `gatherDocuments`: see "Gathering" above.
    public init(writer: any StateBatchWriter, gatherBound: Duration = .milliseconds(3), gatherDocuments: Int = 16) {
        self.writer = writer
        self.gatherBound = gatherBound
        self.gatherDocuments = max(1, gatherDocuments)
    }

    /// The pipeline started a document that will write (its state, its ledger row): waiters
    /// gather while documents in flight are not yet waiting.
    public func documentStarted() {
        queue.withLock { $0.inFlight += 1 }
    }

    /// A started document is finished (or abandoned): nothing more of it will come.
    public func documentFinished() {
        let release = queue.withLock { queue in
            queue.inFlight = max(0, queue.inFlight - 1)
            return queue.waiting >= queue.inFlight && queue.gathering != nil
        }
        // Those gathering waited for this document: write what they have.
        if release { commitQueued(for: nil) }
    }

    /// Changes each time a batch fails; memory computed on an earlier generation must be reloaded.
    public var generation: UInt64 { queue.withLock { $0.generation } }

    /// Batches applied so far (empty ones aside).
    public var batchesWritten: Int { queue.withLock { $0.batches } }

    /// Waiters holding back for a bigger batch right now ("Gathering").
    public var gatheringWaiters: Int { queue.withLock { $0.parked.count } }

    /// Queues processor state changes. With a `generation` other than the current one nothing is
    /// queued and the commit fails at once.
    public func enqueue(namespace: String, _ changes: [ProcessorStateChange], generation: UInt64?) -> StateCommit {
        guard let position = add(namespace: namespace, changes, entries: [], generation: generation) else {
            return .failed(Failure(description: "an earlier state write failed; the state is reloaded before the next document"))
        }
        return StateCommit { try await self.wait(for: position) }
    }

    /// Queues a ledger row.
    public func enqueue(_ entry: LedgerEntry) -> StateCommit {
        guard let position = add(namespace: "", [], entries: [entry], generation: nil) else { return .done }
        return StateCommit { try await self.wait(for: position) }
    }

    /// Queues dashboard index writes, waited for by nobody: they go with the next batch (the
    /// ledger row that follows them in the pipeline), and `failed` hears if theirs fails.
    public func enqueue(_ changes: [DocumentIndexChange], failed: @escaping @Sendable (any Error) -> Void) {
        guard !changes.isEmpty else { return }
        queue.withLock { queue in
            let position = queue.nextPosition
            queue.nextPosition += 1
            queue.items.append(Item(position: position, namespace: "", changes: [], entries: [], indexChanges: changes, generation: nil, failed: failed))
        }
    }

    /// Writes everything queued now (a read of index rows queued without a waiter).
    public func flush() {
        guard queue.withLock({ !$0.items.isEmpty }) else { return }
        commitQueued(for: nil)
    }

    /// Queues changes and writes everything queued before returning (the synchronous path: loading,
    /// a clean stop, stores used without a pipeline).
    public func applyNow(namespace: String, _ changes: [ProcessorStateChange]) throws {
        guard let position = add(namespace: namespace, changes, entries: [], generation: nil) else { return }
        commitQueued(for: position)
        if let failure = queue.withLock({ $0.failures.removeValue(forKey: position) }) { throw Failure(description: failure) }
    }

    /// The queued change of a key not yet written, if any: reads see it before the store's row.
    public func pending(namespace: String, key: String) -> ProcessorStateChange? {
        queue.withLock { $0.overlay[StateBatch.Key(namespace: namespace, key: key)]?.change }
    }

    /// The queued changes of a namespace not yet written, by key.
    public func pending(namespace: String) -> [String: ProcessorStateChange] {
        queue.withLock { queue in
            var found: [String: ProcessorStateChange] = [:]
            for (key, value) in queue.overlay where key.namespace == namespace { found[key.key] = value.change }
            return found
        }
    }

    private func add(namespace: String, _ changes: [ProcessorStateChange], entries: [LedgerEntry], generation: UInt64?) -> UInt64? {
        queue.withLock { queue in
            if let generation, generation != queue.generation { return nil }
            let position = queue.nextPosition
            queue.nextPosition += 1
            queue.items.append(Item(position: position, namespace: namespace, changes: changes, entries: entries, generation: generation))
            for change in changes { queue.overlay[StateBatch.Key(namespace: namespace, key: change.key)] = (change, position) }
            return position
        }
    }

    /// Whoever waits writes everything queued, itself included, unless a batch is being written:
    /// then it waits for the lock, and the batch after it takes what was queued meanwhile. Batches
    /// are taken and written under one lock, so a write is settled once the call has the lock; one
    /// already taken by another waiter's batch writes nothing more (a batch of its own would hold
    /// only what was queued after it).
    private func wait(for position: UInt64) async throws {
        queue.withLock { $0.waiting += 1 }
        while await gather(position) {}
        queue.withLock { $0.waiting -= 1 }
        commitQueued(for: position)
        if let failure = queue.withLock({ $0.failures.removeValue(forKey: position) }) { throw Failure(description: failure) }
    }

    /// Parks the caller while its batch gathers (see "Gathering"); true when it was resumed
    /// after a batch was written and must look again, false when it writes now (or finds its
    /// write taken by another's batch).
    private func gather(_ position: UInt64) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let (parked, timer): (Bool, UInt64?) = queue.withLock { queue in
                let queued = queue.items.contains { $0.position == position }
                if !queued || queue.waiting >= max(queue.inFlight, 1) || queue.waiting >= gatherDocuments { return (false, nil) }
                queue.parked.append(continuation)
                if queue.gathering != nil { return (true, nil) }
                queue.gatherings += 1
                queue.gathering = queue.gatherings
                return (true, queue.gatherings)
            }
            if !parked { continuation.resume(returning: false) }
            if let timer { writeAtBound(of: timer) }
        }
    }

    /// The gathering's bound: what is queued is written then, unless a batch was written before.
    private func writeAtBound(of gathering: UInt64) {
        Task(executorPreference: DaemonExecutors.preferred) { [self] in
            try? await DaemonExecutors.sleep(for: gatherBound)
            guard queue.withLock({ $0.gathering == gathering }) else { return }
            commitQueued(for: nil)
        }
    }

    /// Takes everything queued and applies it as one batch, unless `position` (nil: anything) is
    /// no longer queued.
    private func commitQueued(for position: UInt64?) {
        var unwaited: [(@Sendable (any Error) -> Void, Failure)] = []
        var parked: [CheckedContinuation<Bool, Never>] = []
        serial.withLock { _ in
            let items = queue.withLock { queue in
                if let position, !queue.items.contains(where: { $0.position == position }) { return [Item]() }
                let taken = queue.items
                queue.items = []
                // Whoever gathered looks again once this batch is written (its write is in it,
                // or was refused, or came after it and gathers anew).
                queue.gathering = nil
                parked = queue.parked
                queue.parked = []
                return taken
            }
            guard !items.isEmpty else { return }
            var batch = StateBatch()
            for item in items {
                batch.add(namespace: item.namespace, item.changes)
                for entry in item.entries { batch.add(entry) }
                batch.add(item.indexChanges)
            }
            var failure: String?
            if !batch.isEmpty {
                do {
                    try writer.apply(batch)
                } catch {
                    failure = String(describing: error)
                }
            }
            queue.withLock { queue in
                var settled = items
                if let failure {
                    for item in items {
                        if let failed = item.failed {
                            unwaited.append((failed, Failure(description: failure)))
                        } else {
                            queue.failures[item.position] = failure
                        }
                    }
                }
                if let failure, items.contains(where: { !$0.changes.isEmpty }) {
                    queue.generation += 1
                    // Computed on top of the lost writes: refused too. Ledger rows stay queued.
                    let stale = queue.items.filter { $0.generation != nil }
                    queue.items.removeAll { $0.generation != nil }
                    for item in stale { queue.failures[item.position] = "an earlier state write failed: \(failure)" }
                    settled += stale
                } else if !batch.isEmpty {
                    queue.batches += 1
                }
                for item in settled {
                    for change in item.changes {
                        let key = StateBatch.Key(namespace: item.namespace, key: change.key)
                        if queue.overlay[key]?.position == item.position { queue.overlay.removeValue(forKey: key) }
                    }
                }
            }
        }
        // Outside the locks: the callback may log.
        for (failed, failure) in unwaited { failed(failure) }
        for waiter in parked { waiter.resume(returning: true) }
    }
}
