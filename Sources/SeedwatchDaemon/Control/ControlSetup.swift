import Logging
import SeedwatchCore
import SeedwatchState
import SeedwatchSystemd

/// Builds the control API service for `Daemon`, keeping its wiring out of the daemon's body.
enum ControlSetup {
    /// The service, already listening, or nil when `control.enabled` is false.
    static func service(
        _ configuration: Configuration, settings: DaemonSettings, stats: DaemonStats, queue: WorkQueue, status: StatusReporter,
        ledger: Ledger, processors: [String], notifier: SystemdNotifier, logger: Logger
    ) async throws -> ControlServer? {
        let control = try ControlSettings(configuration)
        guard control.enabled else { return nil }
        let activated = notifier.listenFileDescriptors().filter { $0.name == "control" }.map(\.fd)
        let metrics = DaemonMetrics.bootstrap(stats: stats)
        let routes = ControlRoutes(settings: settings, stats: stats, queue: queue, status: status, ledger: ledger, metrics: metrics, processors: processors)
        return try await ControlServer.start(settings: control, routes: routes, activated: activated, logger: logger)
    }
}
