import SeedwatchCore
import SeedwatchExecutors

/// Sends STATUS= updates from a thread of its own, keeping only the latest: `sd_notify` blocks
/// when the service manager's socket queue is full, and that must never stall processing.
public final class NotifySender: Sendable {
    private let notifier: SystemdNotifier
    private let pending = Locked<String?>(nil)
    /// Serial, on the blocking pool: a stuck `sd_notify` holds a thread of that pool, no task.
    private let queue = SerialThreadQueue()

    public init(notifier: SystemdNotifier) {
        self.notifier = notifier
    }

    /// Replaces any update not yet sent; returns at once.
    public func send(_ state: String) {
        let wasEmpty = pending.withLock { current -> Bool in
            defer { current = state }
            return current == nil
        }
        guard wasEmpty else { return }
        queue.async { [self] in
            guard let latest = pending.withLock({ current -> String? in
                defer { current = nil }
                return current
            }) else { return }
            notifier.notify(latest)
        }
    }
}
