import ArgumentParser
import FoundationEssentials
import SeedwatchCore
import SeedwatchDaemon
import SeedwatchPipeline

/// `seedwatch migrate-state --to postgres://…`: copies the SQLite state (and `alerts.jsonl` and the
/// results) of the configured state and outbox folders into PostgreSQL, for an install joining a cluster.
struct MigrateStateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-state",
        abstract: "Copy the SQLite state (ledger, topics, entities, alerts, dashboard index) into PostgreSQL. Stop the daemon first.",
        discussion: "The database must hold no state yet. The password is read as the daemon reads it: database.password_file, else the systemd credential database-password."
    )

    @OptionGroup var options: ConfigOptions
    @Option(help: "The database: postgres://USER@HOST:PORT/DB (no password in it).") var to: String

    func run() async throws {
        let configuration = try options.load(extra: ["database.url=\(to)"])
        let database: DatabaseSettings
        let settings: DaemonSettings
        do {
            try ConfigurationCheck.validate(configuration)
            database = try DatabaseSettings(configuration)
            settings = DaemonSettings(configuration)
        } catch {
            StandardStreams.writeError("seedwatch: configuration error: \(error)\n")
            throw ExitCode(2)
        }
        guard let backend = DatabaseBackends.current else {
            do {
                try ClusterHandoff.handOff(arguments: Array(CommandLine.arguments.dropFirst()))
            } catch {
                StandardStreams.writeError("seedwatch: \(error)\n")
                throw ExitCode(1)
            }
        }
        do {
            let report = try backend.migrate(stateDirectory: settings.state, outbox: settings.outbox, to: database)
            StandardStreams.writeError(report + "\n")
        } catch {
            StandardStreams.writeError("seedwatch: \(error)\n")
            throw ExitCode(1)
        }
    }
}
