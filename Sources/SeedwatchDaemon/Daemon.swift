import FoundationEssentials
import Glibc
import Logging
import ServiceLifecycle
import SeedwatchCore
import SeedwatchIngest
import SeedwatchPipeline
import SeedwatchState
import SeedwatchSystemd

/// The daemon: composes the services and runs them until SIGTERM/SIGINT, or until the watch
/// folder disappears (then it exits non-zero so systemd restarts it). SIGHUP reloads the
/// configuration (`ReloadService`).
public struct Daemon: Sendable {
    public let configuration: Configuration
    public let settings: DaemonSettings
    public let logger: Logger
    /// Reads the configuration again from the sources used at start, for a reload on SIGHUP;
    /// nil: SIGHUP is acknowledged but the configuration stays as it is.
    public let reloadConfiguration: (@Sendable () throws -> Configuration)?

    public init(configuration: Configuration, logger: Logger, reloadConfiguration: (@Sendable () throws -> Configuration)? = nil) {
        self.configuration = configuration
        self.settings = DaemonSettings(configuration)
        self.logger = logger
        self.reloadConfiguration = reloadConfiguration
    }

    /// Names never counted as arrivals: the configured patterns, and the result and quarantine
    /// temporaries, should the outbox be placed inside the watch folder.
    static func ignorePatterns(_ settings: DaemonSettings) -> IgnorePatterns {
        IgnorePatterns(settings.ignore + [AtomicFile.temporaryPrefix + "*"])
    }

    public func run() async throws {
        MemoryRelease.configureAllocator(cores: ProcessInfo.processInfo.activeProcessorCount, environment: ProcessInfo.processInfo.environment)
        let notifier = SystemdNotifier()
        var watchStat = stat()
        guard stat(settings.watch, &watchStat) == 0, watchStat.st_mode & S_IFMT == S_IFDIR else {
            throw DaemonError.watchFolderMissing(settings.watch)
        }
        let inherited = InheritedDescriptors(notifier.listenFileDescriptors())
        let state = try await StateSetup.open(configuration, settings: settings, logger: self.logger) { _ = notifier.notify($0) }
        // In a cluster every journal entry says which node wrote it (alerts included).
        let logger = state.cluster.map { cluster in
            var tagged = self.logger
            tagged[metadataKey: "NODE"] = "\(cluster.name)"
            return tagged
        } ?? self.logger
        let ledger = state.ledger
        let store = state.store
        LostStateCheck.warnIfLost(ledger: ledger, location: state.location, outbox: settings.outbox, logger: logger)
        let runner = try ProcessorSetup.makeRunner(configuration, store: store)
        let live = ReloadableSettings(configuration: configuration, settings: settings, runner: runner)
        let stats = DaemonStats()
        let ingestMode = IngestModeSettings(configuration).mode
        let (watcher, adopted) = try WatcherSetup.make(
            settings: settings, mode: ingestMode, stored: inherited.named(InheritedDescriptors.inotify), notifier: notifier, logger: logger
        )
        let queue = WorkQueue(capacity: settings.maxPending, logger: logger) { [logger] in
            do {
                let found = try watcher.scanner.scan()
                // Files the ledger has at their present size and mtime are done: left out, they
                // cannot fill a rescan's share of the queue again and again.
                let bad = found.badNames.map { ScannedFile(path: BadName.mark($0), modifiedNanoseconds: .min) }
                return bad.sorted { $0.precedes($1) } + found.scanned.filter {
                    !DocumentPipeline.isUnchanged($0.path, ledger: ledger, settings: DocumentHandler.pipelineSettings(live.settings))
                }
            } catch {
                logger.error("rescan failed: \(error)")
                return []
            }
        }
        let handler = try DocumentHandler(
            live: live, ledger: ledger, alerts: state.alerts, index: state.index, queue: queue, stats: stats, logger: logger
        )
        let status = StatusReporter(stats: stats, notifier: notifier, queue: queue)
        let gate = LeadershipGate(open: state.cluster == nil)

        logger.info("starting: watch \(settings.watch), outbox \(settings.outbox), state \(settings.state), processors \(runner.names.joined(separator: ","))")
        // Shut down in reverse order: the pipeline, last here, stops first, so on SIGTERM nothing
        // new is taken from the queue while the watch, the control API and the watchdog pings
        // go on during the drain.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: IngestService(watcher: watcher, adopted: adopted, queue: queue, status: status, stats: stats, mode: ingestMode,
                                         pollInterval: { [live] in IngestModeSettings(live.snapshot.configuration).pollInterval }, logger: logger),
                  successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let control = try await ControlSetup.service(configuration, live: live, stats: stats, queue: queue, status: status,
                                                        ledger: ledger, index: state.index, activated: inherited.named(InheritedDescriptors.control), logger: logger) {
            services.append(.init(service: control))
        }
        if let cluster = state.cluster {
            services.append(.init(service: ClusterService(node: cluster, gate: gate, board: stats.cluster, queue: queue, status: status, logger: logger)))
        }
        if let interval = notifier.watchdogInterval {
            services.append(.init(service: WatchdogService(notifier: notifier, interval: interval, queue: queue)))
        }
        // Trapped before the group runs, hence before READY=1: SIGHUP's default action ends a process.
        let signals = try SignalTrap()
        let reloader = ConfigReloader(
            load: reloadConfiguration ?? { [configuration] in configuration }, live: live, watcher: watcher, store: store, logger: logger
        )
        services.append(.init(service: ReloadService(signals: signals.hangups, reloader: reloader, status: status, logger: logger)))
        services.append(.init(service: PipelineService(
            queue: queue, handler: handler, live: live, status: status, gate: gate, logger: logger, commits: state.commits
        )))
        // No `gracefulShutdownSignals`: the group would trap them with dispatch signal sources.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                for await signal in signals.terminations {
                    logger.debug("signal caught: shutting down the group", metadata: ["signal": "\(signal)"])
                    await group.triggerGracefulShutdown()
                }
            }
            try await group.run()
            tasks.cancelAll()  // ends the wait for signals
        }
        logger.info("\(stats.statusLine(mode: "stopped"))")
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
