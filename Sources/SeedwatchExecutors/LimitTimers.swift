#if canImport(Glibc)
import Glibc
#endif

/// One-shot timers on a thread of their own: they fire on time even when every pool thread is
/// busy (the guarantee a processor's time limit needs). A cancelled timer is forgotten at once,
/// but the thread is not woken for it: it wakes at the deadline it was sleeping for, finds
/// nothing due and sleeps until the next one (or without timeout). Waking it per cancel cost
/// two thread switches per processor call (a time limit is set and cancelled around each);
/// this way an idle process wakes once, one time limit after its last document, and never
/// again. Actions run on the timer thread and must be short (resume a continuation, cancel a task).
public final class LimitTimers: @unchecked Sendable {
    /// The process's timers, on a thread named `seedwatch-timer` started at first use.
    public static let shared = LimitTimers(name: "seedwatch-timer")

    /// A scheduled timer; `cancel()` it once it is not needed.
    public struct Timer: Sendable {
        let timers: LimitTimers
        let id: UInt64

        /// Forgets the timer if it has not fired yet; its action then never runs.
        public func cancel() { timers.cancel(id) }
    }

    private struct Entry {
        let deadline: UInt64
        let action: @Sendable () -> Void
    }

    private let name: String
    private let monitor = ThreadMonitor()
    // Guarded by `monitor`.
    private var entries: [UInt64: Entry] = [:]
    private var nextID: UInt64 = 0
    private var threadStarted = false
    /// The deadline the timer thread sleeps until (`.max`: no timeout).
    private var sleepingUntil: UInt64 = .max

    public init(name: String) {
        self.name = name
    }

    /// Runs `action` on the timer thread once `delay` has passed, unless cancelled before.
    public func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> Timer {
        let deadline = MonotonicClock.deadline(after: delay)
        let (id, startThread): (UInt64, Bool) = monitor.withLock {
            nextID &+= 1
            entries[nextID] = Entry(deadline: deadline, action: action)
            if deadline < sleepingUntil { monitor.signal() }
            defer { threadStarted = true }
            return (nextID, !threadStarted)
        }
        if startThread { startTimerThread() }
        return Timer(timers: self, id: id)
    }

    /// Timers not yet fired nor cancelled.
    public var scheduledCount: Int { monitor.withLock { entries.count } }

    private func cancel(_ id: UInt64) {
        monitor.withLock {
            entries[id] = nil
        }
    }

    private func startTimerThread() {
        // The thread is the whole point; without one, fire from the pool that grows on demand.
        guard Threads.start(name: name, { [self] in timerLoop() }) else {
            BlockingThreadPool.shared.execute { [self] in timerLoop() }
            return
        }
    }

    private func timerLoop() {
        monitor.lock()
        while true {
            let now = MonotonicClock.now
            // Few timers are live at once (documents in flight × processors): a scan is cheap.
            let due = entries.filter { $0.value.deadline <= now }.sorted { ($0.value.deadline, $0.key) < ($1.value.deadline, $1.key) }
            if !due.isEmpty {
                for (id, _) in due { entries[id] = nil }
                monitor.unlock()
                for (_, entry) in due { entry.action() }
                monitor.lock()
                continue
            }
            sleepingUntil = entries.values.lazy.map(\.deadline).min() ?? .max
            if sleepingUntil == .max {
                monitor.wait()
            } else {
                monitor.wait(until: sleepingUntil)
            }
            sleepingUntil = .max
        }
    }
}
