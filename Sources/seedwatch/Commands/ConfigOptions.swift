import ArgumentParser
import Foundation
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
            return try ConfigLoader(schema: ProcessorSetup.schema).load(
                file: config ?? ProcessInfo.processInfo.environment["SEEDWATCH_CONFIG"],
                defaultFile: "Config/seedwatch.json",
                environment: ProcessInfo.processInfo.environment,
                overrides: overrides + extra
            )
        } catch {
            FileHandle.standardError.write(Data("seedwatch: configuration error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
