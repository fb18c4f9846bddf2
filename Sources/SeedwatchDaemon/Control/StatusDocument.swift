import FoundationEssentials
import Glibc
import SeedwatchCore
import SeedwatchPipeline

/// The JSON body of `GET /status`: what `seedwatch status` prints.
enum StatusDocument {
    static func make(stats: DaemonStats, mode: String, processors: [String], overruns: OverrunCounter, settings: DaemonSettings) -> [String: JSONValue] {
        let s = stats.snapshot
        let uptime = Date().timeIntervalSince(stats.startedAt)
        return [
            "mode": .string(mode),
            "pid": .integer(Int(getpid())),
            "started_at": .string(Timestamp.format(stats.startedAt)),
            "uptime_seconds": .number((uptime * 1000).rounded() / 1000),
            "watch": .string(settings.watch),
            "outbox": .string(settings.outbox),
            "queue_depth": .integer(s.queueDepth),
            "in_flight": .integer(s.inFlight),
            "processed": .integer(s.processed),
            "duplicates": .integer(s.duplicates),
            "quarantined": .integer(s.quarantined),
            "unchanged": .integer(s.unchanged),
            "ingest_after": .string(settings.after),
            "dispositions": .object(Dictionary(uniqueKeysWithValues: InputDisposition.Kind.allCases.map { ($0.rawValue, .integer(s.dispositions[$0.rawValue, default: 0])) })),
            "inotify_overflows": .integer(s.overflows),
            "ingest": stats.ingest.json,
            "processors": .array(processors.map { .object(["name": .string($0), "errors": .integer(s.processorErrors[$0, default: 0])]) }),
            // Calls cut at their time limit whose threads are still busy (read now, not per document).
            "processor_overruns": .integer(overruns.running),
            "processor_overruns_total": .integer(overruns.total),
            "last_alert": s.lastAlert.map { .string($0) } ?? .null,
            "cluster": stats.cluster.snapshot.map(Self.cluster) ?? .null,
        ]
    }

    /// `cluster`: this node, the leader and its term, and each live node's heartbeat age and queue.
    static func cluster(_ view: ClusterView) -> JSONValue {
        .object([
            "node": .string(view.node),
            "leader": view.leader.map { .string($0) } ?? .null,
            "term": .integer(Int(view.term)),
            "leading": .bool(view.leading != nil),
            "lease_left_ms": .integer(Int(view.leaseLeftMilliseconds)),
            "nodes": .array(view.members.map { member in
                .object([
                    "name": .string(member.name),
                    "heartbeat_age_ms": .integer(Int(member.heartbeatAgeMilliseconds)),
                    "queue": .integer(Int(member.queue)),
                    "pid": .integer(Int(member.pid)),
                ])
            }),
        ])
    }
}
