import SeedwatchCore
import SeedwatchIngest

/// `ingest.mode` and `ingest.poll_interval_ms`, read from a validated configuration.
struct IngestModeSettings: Sendable {
    var mode: IngestMode
    var pollInterval: Duration

    init(_ configuration: Configuration) {
        mode = IngestMode(rawValue: configuration.string("ingest.mode")) ?? .auto
        pollInterval = .milliseconds(configuration.integer("ingest.poll_interval_ms"))
    }
}
