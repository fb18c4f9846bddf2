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
        /// The generation the write was computed on; nil for writes that depend on no earlier one.
        var generation: UInt64?
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
    }

    private let queue = Locked(Queue())
    /// Held while a batch is taken and applied: batches reach the writer one at a time, in order.
    private let serial = Locked(())
    private let writer: any StateBatchWriter

    public init(writer: any StateBatchWriter) {
        self.writer = writer
    }

    /// Changes each time a batch fails; memory computed on an earlier generation must be reloaded.
    public var generation: UInt64 { queue.withLock { $0.generation } }

    /// Batches applied so far (empty ones aside).
    public var batchesWritten: Int { queue.withLock { $0.batches } }

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

    /// Queues changes and writes everything queued before returning (the synchronous path: loading,
    /// a clean stop, stores used without a pipeline).
    public func applyNow(namespace: String, _ changes: [ProcessorStateChange]) throws {
        guard let position = add(namespace: namespace, changes, entries: [], generation: nil) else { return }
        commitQueued()
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
    /// are taken and written under one lock, so a write is settled once the call has the lock.
    private func wait(for position: UInt64) async throws {
        commitQueued()
        if let failure = queue.withLock({ $0.failures.removeValue(forKey: position) }) { throw Failure(description: failure) }
    }

    /// Takes everything queued and applies it as one batch.
    private func commitQueued() {
        serial.withLock { _ in
            let items = queue.withLock { queue in
                let taken = queue.items
                queue.items = []
                return taken
            }
            guard !items.isEmpty else { return }
            var batch = StateBatch()
            for item in items {
                batch.add(namespace: item.namespace, item.changes)
                for entry in item.entries { batch.add(entry) }
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
                    for item in items { queue.failures[item.position] = failure }
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
    }
}
