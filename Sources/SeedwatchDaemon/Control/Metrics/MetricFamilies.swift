import Prometheus
import SeedwatchCore
import SeedwatchProcessors

/// Every metric family the daemon exports, each with its help text and unit, in one place.
///
/// Made on the registry directly rather than through swift-metrics, whose API has no help text:
/// a family without `# HELP` fails `promtool check metrics`. The registry returns the existing
/// series for a name and labels, so these are cheap to call per event.
enum MetricFamilies {
    static let registry = PrometheusCollectorRegistry()

    static func documents(outcome: String) -> Counter {
        registry.makeCounter(
            descriptor: descriptor("documents", "total", "Documents finished, by outcome: processed, duplicate, quarantined, unchanged."),
            labels: [("outcome", outcome)]
        )
    }

    static let inotifyOverflows = registry.makeCounter(
        descriptor: descriptor("inotify_overflows", "total", "inotify event queue overflows; each one is followed by a rescan of the watch folder.")
    )

    static func processorErrors(processor: String) -> Counter {
        registry.makeCounter(
            descriptor: descriptor("processor_errors", "total", "Processor calls that failed (timeouts included), by processor."),
            labels: [("processor", processor)]
        )
    }

    static func alerts(alertClass: String) -> Counter {
        registry.makeCounter(
            descriptor: descriptor("alerts", "total", "Alerts raised, by class (new_topic, topic_shift)."), labels: [("class", alertClass)]
        )
    }

    static func quarantined(code: QuarantineCode) -> Counter {
        registry.makeCounter(
            descriptor: descriptor("quarantined", "total", "Files quarantined, by the code of their quarantine record."),
            labels: [("code", code.rawValue)]
        )
    }

    static let queueDepth = registry.makeGauge(descriptor: descriptor("queue_depth", "", "File names waiting in the work queue."))
    static let inFlight = registry.makeGauge(descriptor: descriptor("documents_in_flight", "", "Documents being processed right now."))
    static let processorOverruns = registry.makeGauge(
        descriptor: descriptor("processor_overruns", "", "Processor calls past their time limit that are still running (their threads stay busy).")
    )

    static func processorDuration(processor: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: descriptor("processor_duration", "seconds", "Time one processor took on one document."),
            labels: [("processor", processor)], buckets: processorBuckets
        )
    }

    static let resultWriteDuration = registry.makeDurationHistogram(
        descriptor: descriptor("result_write_duration", "seconds", "Time to write one result record to the outbox durably (fsync), retries included."),
        buckets: storageBuckets
    )

    static let ledgerWriteDuration = registry.makeDurationHistogram(
        descriptor: descriptor("ledger_write_duration", "seconds", "Time to record one file's entry in the ledger (a committed SQLite transaction), retries included."),
        buckets: storageBuckets
    )

    static let buildInfo = registry.makeGauge(
        descriptor: descriptor("build", "info", "Always 1: the seedwatch version and the Swift compiler it was built with."),
        labels: [("version", BuildInfo.version), ("swift", BuildInfo.swiftVersion)]
    )

    private static let processorBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    /// A write that ends in fsync: tenths of a millisecond on an SSD, up to seconds on a busy disk.
    private static let storageBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    private static func descriptor(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "seedwatch", metricName: name, unitName: unit, helpText: help)
    }

    /// Families appear from the first scrape on, each known label at zero, so that `rate()` and
    /// alert rules see a series before the first event.
    static func registerAll() {
        for outcome in ["processed", "duplicate", "quarantined", "unchanged"] { _ = documents(outcome: outcome) }
        for alertClass in TopicAlertClass.allCases { _ = alerts(alertClass: alertClass.rawValue) }
        for code in QuarantineCode.allCases { _ = quarantined(code: code) }
        _ = (inotifyOverflows, queueDepth, inFlight, processorOverruns, resultWriteDuration, ledgerWriteDuration)
        buildInfo.set(Int64(1))
    }
}
