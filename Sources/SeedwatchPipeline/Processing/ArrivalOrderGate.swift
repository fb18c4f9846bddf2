/// Lets a stateful processor see documents strictly in arrival order while documents are
/// processed concurrently: document `n` waits until every document before it has finished
/// (or skipped) its turn.
actor ArrivalOrderGate {
    private var next: UInt64 = 0
    private var finishedAhead: Set<UInt64> = []
    private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]

    /// Suspends until every sequence number below `sequence` has finished.
    func waitTurn(_ sequence: UInt64) async {
        if sequence <= next { return }
        await withCheckedContinuation { waiters[sequence] = $0 }
    }

    /// Marks `sequence` done (idempotent) and wakes the document whose turn it now is.
    func finish(_ sequence: UInt64) {
        guard sequence >= next else { return }
        finishedAhead.insert(sequence)
        while finishedAhead.remove(next) != nil { next += 1 }
        if let waiter = waiters.removeValue(forKey: next) { waiter.resume() }
    }
}
