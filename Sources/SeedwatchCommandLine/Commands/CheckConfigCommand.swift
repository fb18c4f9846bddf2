import ArgumentParser
import FoundationEssentials
import SeedwatchCore
import SeedwatchDaemon

/// `seedwatch check-config`: validate and print the effective configuration.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective values as JSON."
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let configuration = try options.load()
        try ConfigOptions.handOffToClusterIfNeeded(configuration)
        do {
            try ConfigurationCheck.validate(configuration)
            let runner = try ProcessorSetup.makeRunner(configuration, store: MemoryStateStore())
            print(configuration.renderJSON())
            StandardStreams.writeError("configuration is valid; processors: \(runner.names.joined(separator: ", "))\n")
        } catch {
            StandardStreams.writeError("seedwatch: configuration error: \(error)\n")
            throw ExitCode(2)
        }
        // A valid configuration whose database does not answer: said apart from a bad key.
        do {
            if let database = try StateSetup.describeDatabase(configuration) { StandardStreams.writeError(database + "\n") }
        } catch {
            StandardStreams.writeError("seedwatch: \(error)\n")
            throw ExitCode(1)
        }
    }
}
