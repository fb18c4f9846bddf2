import Foundation
import Logging
import ServiceLifecycle
import SeedwatchCore
import SeedwatchIngest
import SeedwatchPipeline
import SeedwatchState
import SeedwatchSystemd

/// The daemon: composes the services and runs them until SIGTERM/SIGINT, or until the watch
/// folder disappears (then it exits non-zero so systemd restarts it).
public struct Daemon: Sendable {
    public let configuration: Configuration
    public let settings: DaemonSettings
    public let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.settings = DaemonSettings(configuration)
        self.logger = logger
    }

    public func run() async throws {
        MemoryRelease.limitArenas(cores: ProcessInfo.processInfo.activeProcessorCount, environment: ProcessInfo.processInfo.environment)
        let notifier = SystemdNotifier()
        var watchStat = stat()
        guard stat(settings.watch, &watchStat) == 0, watchStat.st_mode & S_IFMT == S_IFDIR else {
            throw DaemonError.watchFolderMissing(settings.watch)
        }
        let ledger = try Ledger(stateDirectory: settings.state)
        let runner = try ProcessorSetup.makeRunner(configuration, store: SQLiteStateStore(database: ledger.database))
        let stats = DaemonStats()
        let handler = try DocumentHandler(settings: settings, ledger: ledger, runner: runner, stats: stats, logger: logger)
        // Outbox and quarantine never count as arrivals, even if placed inside the watch folder.
        let ignore = IgnorePatterns(settings.ignore + [AtomicFile.temporaryPrefix + "*"])
        let scanner = DirectoryScanner(root: settings.watch, recursive: settings.recursive, ignore: ignore)
        let queue = WorkQueue(capacity: settings.maxPending) { [logger] in
            do {
                let found = try scanner.scan()
                return found.files + found.badNames.map(BadName.mark)
            } catch {
                logger.error("rescan failed: \(error)")
                return []
            }
        }
        let watcher = try DirectoryWatcher(root: settings.watch, recursive: settings.recursive, ignore: ignore)
        let status = StatusReporter(stats: stats, notifier: notifier, queue: queue)

        logger.info("starting: watch \(settings.watch), outbox \(settings.outbox), state \(settings.state), processors \(runner.names.joined(separator: ","))")
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: PipelineService(queue: queue, handler: handler, settings: settings, status: status, logger: logger)),
            .init(service: IngestService(watcher: watcher, scanner: scanner, queue: queue, status: status, stats: stats, logger: logger),
                  successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let control = try await ControlSetup.service(configuration, settings: settings, stats: stats, queue: queue, status: status,
                                                  ledger: ledger, processors: runner.names, notifier: notifier, logger: logger) {
            services.append(.init(service: control))
        }
        if let interval = notifier.watchdogInterval {
            services.append(.init(service: WatchdogService(notifier: notifier, interval: interval, queue: queue)))
        }
        var groupConfiguration = ServiceGroupConfiguration(services: services, logger: logger)
        groupConfiguration.gracefulShutdownSignals = [.sigterm, .sigint]
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
        logger.info("stopped: \(stats.statusLine(mode: "stopped"))")
    }
}

public enum DaemonError: Error, CustomStringConvertible {
    case watchFolderMissing(String)

    public var description: String {
        switch self {
        case let .watchFolderMissing(path): "watch folder \(path) does not exist or is not a folder"
        }
    }
}
