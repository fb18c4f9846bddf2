import Prometheus
import SeedwatchCore

/// Prometheus exposition of the daemon's counters (`GET /metrics`).
///
/// Counters live in `DaemonStats` (one source of truth for STATUS=, /status and /metrics), so a
/// scrape turns their growth since the previous scrape into counter increments instead of
/// touching every place that counts. Latencies, alerts and quarantine codes are recorded as they
/// happen by the document pipeline's events (`record(_:)`). Every family is made with its help
/// text (`MetricFamilies`), so `promtool check metrics` accepts the exposition.
final class DaemonMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let stats: DaemonStats
    private let reported = Locked(DaemonStats.Snapshot())

    /// The metrics of this process. Every daemon in one process (tests) shares its registry, as
    /// the events recorded by `record(_:)` do.
    static func bootstrap(stats: DaemonStats) -> DaemonMetrics {
        DaemonMetrics(registry: MetricFamilies.registry, stats: stats)
    }

    private init(registry: PrometheusCollectorRegistry, stats: DaemonStats) {
        self.registry = registry
        self.stats = stats
        MetricFamilies.registerAll()
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
            MetricFamilies.documents(outcome: outcome).increment(by: Int64(current - previous))
        }
        if now.overflows > before.overflows {
            MetricFamilies.inotifyOverflows.increment(by: Int64(now.overflows - before.overflows))
        }
        for (processor, errors) in now.processorErrors where errors > before.processorErrors[processor, default: 0] {
            MetricFamilies.processorErrors(processor: processor).increment(by: Int64(errors - before.processorErrors[processor, default: 0]))
        }
        MetricFamilies.queueDepth.set(Int64(now.queueDepth))
        MetricFamilies.inFlight.set(Int64(now.inFlight))
        MetricFamilies.processorOverruns.set(Int64(now.processorOverruns))
        return registry.emitToString() + ProcessMetricsText.render(ProcessSample.current())
            + IngestModeMetrics.exposition(stats.ingest.snapshot)
    }

    /// Records what the pipeline measured about one document as it happened.
    static func record(_ event: Measured) {
        switch event {
        case let .processor(name, duration): MetricFamilies.processorDuration(processor: name).record(duration)
        case let .resultWrite(duration): MetricFamilies.resultWriteDuration.record(duration)
        case let .ledgerWrite(duration): MetricFamilies.ledgerWriteDuration.record(duration)
        case let .alert(alertClass): MetricFamilies.alerts(alertClass: alertClass).increment()
        case let .quarantined(code): MetricFamilies.quarantined(code: code).increment()
        }
    }

    /// What `record(_:)` takes.
    enum Measured: Sendable {
        case processor(name: String, Duration)
        case resultWrite(Duration)
        case ledgerWrite(Duration)
        case alert(alertClass: String)
        case quarantined(QuarantineCode)
    }
}
