import ArgumentParser
import FoundationEssentials
import Logging
import SeedwatchCore
import SeedwatchDaemon

/// `seedwatch run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: watch the folder, process arrivals, write results."
    )

    @OptionGroup var options: ConfigOptions
    @Option(help: "Folder to watch (key: watch).") var watch: String?
    @Option(help: "Folder for results (key: outbox).") var outbox: String?
    @Option(help: "Folder for the state database (key: state).") var state: String?
    @Option(help: "Folder for quarantine records (key: quarantine).") var quarantine: String?

    func run() async throws {
        var extra: [String] = []
        if let watch { extra.append("watch=\(watch)") }
        if let outbox { extra.append("outbox=\(outbox)") }
        if let state { extra.append("state=\(state)") }
        if let quarantine { extra.append("quarantine=\(quarantine)") }
        let configuration = try options.load(extra: extra)
        do {
            try ConfigurationCheck.validate(configuration)
        } catch {
            StandardStreams.writeError("seedwatch: configuration error: \(error)\n")
            throw ExitCode(2)
        }
        try ConfigOptions.handOffToClusterIfNeeded(configuration)
        LogSetup.bootstrap(target: configuration.string("log.target"), level: Logger.Level(rawValue: configuration.string("log.level")) ?? .info)
        let logger = Logger(label: "seedwatch")
        do {
            if let raised = StartupChecks.raiseOpenFileLimit() {
                logger.info("open-file limit raised from \(raised.from) to \(raised.to)")
            }
            try StartupChecks.checkStateWritable(DaemonSettings(configuration).state)
            let reload = options.loader(extra: extra)
            try await Daemon(configuration: configuration, logger: logger, reloadConfiguration: { try reload() }).run()
        } catch {
            logger.critical("seedwatch stopped: \(error)")
            throw ExitCode(1)
        }
    }
}
