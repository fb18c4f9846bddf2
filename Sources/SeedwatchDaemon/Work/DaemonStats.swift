import FoundationEssentials
import SeedwatchCore

/// Counters for STATUS= and the status endpoint.
public final class DaemonStats: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var processed = 0
        public var duplicates = 0
        public var quarantined = 0
        public var unchanged = 0
        public var overflows = 0
        public var processorErrors: [String: Int] = [:]
        /// Inputs moved, deleted or quarantined by `ingest.after`, by `INGEST_DISPOSITION` value.
        public var dispositions: [String: Int] = [:]
        /// Processor calls past their time limit and still running, as of the last document.
        public var processorOverruns = 0
        public var queueDepth = 0
        public var inFlight = 0
        /// Time, class and text of the last alert raised.
        public var lastAlert: String?
    }

    private let state = Locked(Snapshot())
    public let startedAt = Date()
    /// How each watched folder is watched (inotify or polling).
    public let ingest = IngestModeBoard()
    /// What the cluster's last heartbeat saw; empty on SQLite.
    public let cluster = ClusterBoard()

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    public func update(_ change: (inout Snapshot) -> Void) {
        state.withLock { change(&$0) }
    }

    public func statusLine(mode: String) -> String {
        let s = snapshot
        let alert = s.lastAlert.map { ", last alert \($0)" } ?? ""
        let overruns = s.processorOverruns > 0 ? ", \(s.processorOverruns) processor calls past their time limit" : ""
        return "\(mode): queue \(s.queueDepth), in flight \(s.inFlight), processed \(s.processed), duplicates \(s.duplicates), quarantined \(s.quarantined)\(overruns)\(alert)\(ingest.statusFragment)\(cluster.statusFragment)"
    }
}
