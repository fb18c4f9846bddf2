import CoreMetrics

import Prometheus
import SeedwatchCore

/// Prometheus exposition of the daemon's counters, through swift-metrics.
///
/// Counters live in `DaemonStats` (one source of truth for STATUS=, /status and /metrics), so a
/// scrape turns their growth since the previous scrape into counter increments instead of
/// touching every place that counts. Processor latencies are recorded as they happen by
/// the document pipeline with swift-metrics `Timer`s, which the factory turns into histograms.
final class DaemonMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let stats: DaemonStats
    private let reported = Locked(DaemonStats.Snapshot())

    /// Bootstraps the process-wide metrics system once; later daemons in the process (tests)
    /// reuse the first registry.
    static func bootstrap(stats: DaemonStats) -> DaemonMetrics {
        let registry = shared.withLock { existing -> PrometheusCollectorRegistry in
            if let existing { return existing }
            let registry = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.defaultDurationHistogramBuckets = [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
            ]
            MetricsSystem.bootstrap(factory)
            existing = registry
            return registry
        }
        return DaemonMetrics(registry: registry, stats: stats)
    }

    private static let shared = Locked<PrometheusCollectorRegistry?>(nil)

    private init(registry: PrometheusCollectorRegistry, stats: DaemonStats) {
        self.registry = registry
        self.stats = stats
        // Families appear from the first scrape on, even before any document.
        for outcome in ["processed", "duplicate", "quarantined", "unchanged"] {
            CoreMetrics.Counter(label: "seedwatch_documents_total", dimensions: [("outcome", outcome)]).increment(by: 0)
        }
        CoreMetrics.Counter(label: "seedwatch_inotify_overflows_total").increment(by: 0)
    }

    /// Records one processor's time on one document.
    static func recordLatency(processor: String, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        CoreMetrics.Timer(label: "seedwatch_processor_duration_seconds", dimensions: [("processor", processor)])
            .recordNanoseconds(seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000)
    }

    /// The Prometheus text exposition, with the counters brought up to date first.
    func exposition() -> String {
        let now = stats.snapshot
        let before = reported.withLock { last in
            defer { last = now }
            return last
        }
        let outcomes: [(String, Int, Int)] = [
            ("processed", now.processed, before.processed), ("duplicate", now.duplicates, before.duplicates),
            ("quarantined", now.quarantined, before.quarantined), ("unchanged", now.unchanged, before.unchanged),
        ]
        for (outcome, current, previous) in outcomes where current > previous {
            CoreMetrics.Counter(label: "seedwatch_documents_total", dimensions: [("outcome", outcome)]).increment(by: current - previous)
        }
        if now.overflows > before.overflows {
            CoreMetrics.Counter(label: "seedwatch_inotify_overflows_total").increment(by: now.overflows - before.overflows)
        }
        CoreMetrics.Gauge(label: "seedwatch_queue_depth").record(now.queueDepth)
        CoreMetrics.Gauge(label: "seedwatch_documents_in_flight").record(now.inFlight)
        return registry.emitToString() + IngestModeMetrics.exposition(stats.ingest.snapshot)
    }
}
