import SeedwatchCore
import Synchronization

/// Processor calls that passed their time limit and have not returned yet.
///
/// Why count them: a call cut at its limit is abandoned, not stopped. A built-in processor
/// stuck in a loop keeps its thread (and maybe a core) until it returns, which may be never;
/// only a restart gets them back. The count is what tells the operator (journal, status).
public final class OverrunCounter: Sendable {
    private let current = Atomic<Int>(0)
    private let ever = Atomic<Int>(0)
    private let onEnd = Locked<(@Sendable () -> Void)?>(nil)

    public init() {}

    /// Calls past their limit and still running.
    public var running: Int { current.load(ordering: .relaxed) }

    /// Calls that ever passed their limit while still running (returned since or not).
    public var total: Int { ever.load(ordering: .relaxed) }

    func began() {
        current.add(1, ordering: .relaxed)
        ever.add(1, ordering: .relaxed)
    }

    func ended() {
        current.subtract(1, ordering: .relaxed)
        onEnd.withLock { $0 }?()
    }

    /// Runs `body` whenever a call that passed its limit returns at last: what it held is freed
    /// only then, after its document was finished (the daemon gives that memory back).
    public func whenOneEnds(_ body: @escaping @Sendable () -> Void) {
        onEnd.withLock { $0 = body }
    }
}
