import Logging
import SeedwatchCore
import SeedwatchIngest
import SeedwatchPipeline

/// Reads the configuration again (the same file, environment and `--set` overrides as at start)
/// and applies what can change while running; the queue and the documents in flight are kept.
///
/// An invalid configuration is refused as a whole, with the key named in the journal, and the
/// running one stays in effect. Changed keys that need a restart keep their running value, each
/// with a warning.
struct ConfigReloader: Sendable {
    /// Loads and validates the configuration from its sources, as `seedwatch run` did at start.
    let load: @Sendable () throws -> Configuration
    let live: ReloadableSettings
    let watcher: DirectoryWatcher
    let store: any ProcessorStateStore
    let logger: Logger

    enum Outcome: Equatable {
        case applied(changed: Int, needsRestart: Int)
        case refused
    }

    @discardableResult
    func reload() -> Outcome {
        let running = live.snapshot
        let plan: ReloadPlan
        let runner: ProcessorRunner
        do {
            plan = try ReloadPlan(running: running.configuration, loaded: load())
            // `ingest.done_folder` applies on reload, so it is checked against the running folders.
            try ConfigurationCheck.foldersApart(DaemonSettings(plan.effective))
            runner = try ProcessorSetup.remakeRunner(
                plan.effective, replacing: running.runner, runningConfiguration: running.configuration, store: store
            )
        } catch {
            var metadata: Logger.Metadata = ["error": "\(error)"]
            if let key = Self.key(of: error) { metadata["config.key"] = "\(key)" }
            logger.error("reload refused: \(error); the running configuration stays in effect", metadata: metadata)
            return .refused
        }
        for name in plan.needsRestart {
            if let value = running.configuration.values[name] {
                logger.warning("configuration key '\(name)' changed, but it needs a restart: the running value '\(value)' stays in effect until then",
                               metadata: ["config.key": "\(name)"])
            } else {
                logger.warning("configuration of '\(name)' changed, but it needs a restart: the running one stays in effect until then",
                               metadata: ["config.key": "\(name)"])
            }
        }
        let settings = DaemonSettings(plan.effective)
        live.replace(with: .init(configuration: plan.effective, settings: settings, runner: runner))
        watcher.setIgnore(Daemon.ignorePatterns(settings))
        if let level = Logger.Level(rawValue: plan.effective.string("log.level")) { LogSetup.setLevel(level) }
        if plan.applied.isEmpty {
            logger.notice("configuration reloaded: nothing that applies while running changed")
        } else {
            logger.notice("configuration reloaded: \(plan.applied.joined(separator: ", ")) now in effect; processors \(runner.names.joined(separator: ","))")
        }
        return .applied(changed: plan.applied.count, needsRestart: plan.needsRestart.count)
    }

    static func key(of error: any Error) -> String? {
        switch error {
        case let error as ConfigError: error.key
        case let error as SetupError: error.key
        default: nil
        }
    }
}
