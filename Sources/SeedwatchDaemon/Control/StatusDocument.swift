import Foundation
import Glibc
import SeedwatchCore

/// The JSON body of `GET /status`: what `seedwatch status` prints.
enum StatusDocument {
    static func make(stats: DaemonStats, mode: String, processors: [String], settings: DaemonSettings) -> [String: Any] {
        let s = stats.snapshot
        let uptime = Date().timeIntervalSince(stats.startedAt)
        return [
            "mode": mode,
            "pid": Int(getpid()),
            "started_at": Timestamp.format(stats.startedAt),
            "uptime_seconds": (uptime * 1000).rounded() / 1000,
            "watch": settings.watch,
            "outbox": settings.outbox,
            "queue_depth": s.queueDepth,
            "in_flight": s.inFlight,
            "processed": s.processed,
            "duplicates": s.duplicates,
            "quarantined": s.quarantined,
            "unchanged": s.unchanged,
            "inotify_overflows": s.overflows,
            "processors": processors.map { ["name": $0, "errors": s.processorErrors[$0, default: 0]] as [String: Any] },
            "last_alert": s.lastAlert.map { $0 as Any } ?? NSNull(),
        ]
    }
}
