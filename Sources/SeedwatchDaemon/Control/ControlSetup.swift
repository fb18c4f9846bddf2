import Logging
import SeedwatchCore
import SeedwatchState

/// Builds the control API service for `Daemon`, keeping its wiring out of the daemon's body.
enum ControlSetup {
    /// The service, already listening, or nil when `control.enabled` is false. `activated`:
    /// the sockets systemd handed over under the name `control`.
    static func service(
        _ configuration: Configuration, live: ReloadableSettings, stats: DaemonStats, queue: WorkQueue, status: StatusReporter,
        ledger: any FileLedger, index: any DocumentIndex, activated: [Int32], logger: Logger
    ) async throws -> ControlServer? {
        let control = try ControlSettings(configuration)
        guard control.enabled else { return nil }
        let metrics = DaemonMetrics.bootstrap(stats: stats)
        let routes = ControlRoutes(live: live, stats: stats, queue: queue, status: status, ledger: ledger, metrics: metrics, index: index)
        return try await ControlServer.start(settings: control, routes: routes, activated: activated, logger: logger)
    }
}
