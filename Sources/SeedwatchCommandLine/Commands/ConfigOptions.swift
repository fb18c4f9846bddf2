import ArgumentParser
import FoundationEssentials
import SeedwatchCore
import SeedwatchDaemon

/// `--config` and `--set`, shared by every command that reads the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: Config/seedwatch.json when it exists).")
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a key, e.g. processors.summary.sentences=3.", valueName: "KEY=VALUE"))
    var overrides: [String] = []

    /// Loads and validates; on error prints the reason naming the key and exits with status 2.
    func load(extra: [String] = []) throws -> Configuration {
        do {
            return try loader(extra: extra)()
        } catch {
            StandardStreams.writeError("seedwatch: configuration error: \(error)\n")
            throw ExitCode(2)
        }
    }

    /// Loads the configuration from these sources — the file, the environment and the overrides
    /// as given now — each time it is called: the daemon calls it again on SIGHUP.
    func loader(extra: [String] = []) -> @Sendable () throws(ConfigError) -> Configuration {
        let file = config ?? ProcessInfo.processInfo.environment["SEEDWATCH_CONFIG"]
        let environment = ProcessInfo.processInfo.environment
        let overrides = overrides + extra
        return { () throws(ConfigError) in
            try ConfigLoader(schema: ProcessorSetup.schema).load(
                file: file, defaultFile: "Config/seedwatch.json", environment: environment, overrides: overrides
            )
        }
    }
}

extension ConfigOptions {
    /// With `database.url` set, runs this command in `seedwatch-cluster` instead (`ClusterHandoff`);
    /// a missing cluster binary is said and exits 1.
    static func handOffToClusterIfNeeded(_ configuration: Configuration) throws {
        do {
            try ClusterHandoff.handOffIfNeeded(configuration)
        } catch {
            StandardStreams.writeError("seedwatch: \(error)\n")
            throw ExitCode(1)
        }
    }
}
