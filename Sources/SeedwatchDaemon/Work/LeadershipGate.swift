import SeedwatchCore

/// Open while this daemon may take documents: always on SQLite; in a cluster, while it leads and
/// its lease has not run out by its own clock. The local bound matters after a pause (SIGSTOP, a
/// stalled VM): the monotonic clock went on, so a resumed leader takes nothing more until a
/// heartbeat has renewed its lease, or found that another node leads. The pipeline waits here
/// before each document it takes from the queue.
public final class LeadershipGate: Sendable {
    private struct State {
        var until: ContinuousClock.Instant?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Locked<State>

    /// `open`: a gate that never closes (no cluster).
    public init(open: Bool) {
        state = Locked(State(until: open ? .now.advanced(by: .seconds(1 << 40)) : nil))
    }

    public var isOpen: Bool { state.withLock { $0.until.map { ContinuousClock.now < $0 } ?? false } }

    /// Leads until `until` (nil: stands by).
    public func lead(until: ContinuousClock.Instant?) {
        let waking = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.until = until
            guard let until, ContinuousClock.now < until else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waking { waiter.resume() }
    }

    /// Opens for good: at shutdown, so that a pipeline waiting here finds the queue closed.
    public func openForShutdown() {
        lead(until: .now.advanced(by: .seconds(1 << 40)))
    }

    /// Returns when the gate is open. Not cancellable by itself: shutdown opens it
    /// (`openForShutdown`) after closing the queue, so the pipeline then finds the queue closed.
    public func waitUntilOpen() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if let until = state.until, ContinuousClock.now < until { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// What the last heartbeat saw, for `GET /status` and `STATUS=`.
public final class ClusterBoard: Sendable {
    private let view = Locked<ClusterView?>(nil)

    public init() {}

    public var snapshot: ClusterView? { view.withLock { $0 } }

    func update(_ new: ClusterView) {
        view.withLock { $0 = new }
    }

    /// Appended to STATUS= in a cluster: `, cluster leader (term 7)` or `, standby: leader a (term 7)`.
    var statusFragment: String {
        guard let view = snapshot else { return "" }
        if let term = view.leading { return ", cluster leader (term \(term))" }
        return ", standby: leader \(view.leader ?? "none") (term \(view.term))"
    }
}
