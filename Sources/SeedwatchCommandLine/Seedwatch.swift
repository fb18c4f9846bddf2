import ArgumentParser
import Glibc
import SeedwatchExecutors

/// The `seedwatch` command line, shared by the two binaries: `seedwatch` (state in SQLite) and
/// `seedwatch-cluster` (the same, with a PostgreSQL client for `database.url`).
public struct Seedwatch: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "seedwatch",
        abstract: "Watch a folder of news documents, analyse each one, write results and raise topic alerts.",
        subcommands: [
            RunCommand.self,
            ProcessCommand.self,
            CheckConfigCommand.self,
            StatusCommand.self,
            AlertsCommand.self,
            MigrateStateCommand.self,
            EvalCommand.self,
            TrainNERCommand.self,
        ]
    )

    public init() {}

    /// A synchronous entry point, so that the root task can prefer our executors (every task of the
    /// daemon descends from it, `DaemonExecutors`); the command then runs as `async main` would, and
    /// the main thread waits without waking until it exits.
    public static func runAsMain() {
        DaemonExecutors.runMain {
            await Seedwatch.main()
            Glibc.exit(0)
        }
    }
}
