import FoundationEssentials
import SeedwatchSystemd
import SeedwatchCore

/// Sends STATUS= to systemd when the counters change: at most every 250 ms while busy, and
/// always when the queue empties, so the last word is accurate without any timer (an idle
/// daemon never wakes up for it).
final class StatusReporter: Sendable {
    let stats: DaemonStats
    let notifier: SystemdNotifier
    private let queue: WorkQueue
    private let lastSent = Locked<(ContinuousClock.Instant, String)?>(nil)
    private let mode = Locked("starting")
    private let sender: NotifySender

    init(stats: DaemonStats, notifier: SystemdNotifier, queue: WorkQueue) {
        self.stats = stats
        self.notifier = notifier
        self.queue = queue
        self.sender = NotifySender(notifier: notifier)
    }

    var currentMode: String { mode.withLock { $0 } }

    func changed(force: Bool = false) async {
        let depth = await queue.depth
        let inFlight = await queue.inFlightCount
        stats.update {
            $0.queueDepth = depth
            $0.inFlight = inFlight
        }
        let idle = depth == 0 && inFlight == 0
        // A cluster's standby watches and queues, but takes nothing until it leads.
        let standby = stats.cluster.snapshot.map { $0.leading == nil } ?? false
        let modeName = mode.withLock { current in
            if current == "watching" || current == "processing" || current == "standby" {
                current = standby ? "standby" : idle ? "watching" : "processing"
            }
            return current
        }
        let line = stats.statusLine(mode: modeName)
        let now = ContinuousClock.now
        let send = lastSent.withLock { last -> Bool in
            if let last, last.1 == line { return false }
            if !force && !idle, let last, now - last.0 < .milliseconds(250) { return false }
            last = (now, line)
            return true
        }
        if send { sender.send("STATUS=\(line)") }
    }

    /// A reload began: `RELOADING=1`, and STATUS says so until `reloaded()`.
    func reloading() {
        mode.withLock { $0 = "reloading" }
        notifier.reloading(status: stats.statusLine(mode: "reloading"))
    }

    /// A reload ended (applied or refused): `READY=1` again, as systemd expects after `RELOADING=1`.
    func reloaded() async {
        await ready()
    }

    func ready() async {
        let depth = await queue.depth
        let inFlight = await queue.inFlightCount
        stats.update {
            $0.queueDepth = depth
            $0.inFlight = inFlight
        }
        mode.withLock { $0 = "watching" }
        let line = stats.statusLine(mode: depth + inFlight == 0 ? "watching" : "processing")
        lastSent.withLock { $0 = (ContinuousClock.now, line) }
        notifier.ready(status: line)
    }

    func stopping() {
        mode.withLock { $0 = "stopping" }
        notifier.stopping(status: stats.statusLine(mode: "stopping"))
    }
}
