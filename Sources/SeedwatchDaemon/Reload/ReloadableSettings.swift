import SeedwatchCore
import SeedwatchPipeline

/// What a reload may replace while the daemon runs: the effective configuration, the settings
/// read from it and the processor runner. Readers take a snapshot per document, so a document
/// in flight finishes with the settings and processors it started with.
final class ReloadableSettings: Sendable {
    struct Snapshot: Sendable {
        var configuration: Configuration
        var settings: DaemonSettings
        var runner: ProcessorRunner
    }

    private let current: Locked<Snapshot>

    init(configuration: Configuration, settings: DaemonSettings, runner: ProcessorRunner) {
        current = Locked(Snapshot(configuration: configuration, settings: settings, runner: runner))
    }

    var snapshot: Snapshot { current.withLock { $0 } }
    var settings: DaemonSettings { current.withLock { $0.settings } }
    var runner: ProcessorRunner { current.withLock { $0.runner } }

    func replace(with snapshot: Snapshot) {
        current.withLock { $0 = snapshot }
    }
}
