import ArgumentParser
import Glibc
import SeedwatchExecutors

struct Seedwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seedwatch",
        abstract: "Watch a folder of news documents, analyse each one, write results and raise topic alerts.",
        subcommands: [
            RunCommand.self,
            ProcessCommand.self,
            CheckConfigCommand.self,
            StatusCommand.self,
            AlertsCommand.self,
            EvalCommand.self,
            TrainNERCommand.self,
        ]
    )
}

/// A synchronous entry point, so that our executors are in place before the first task exists
/// (`SEEDWATCH_EXECUTOR=dispatch` keeps the runtime's); the command then runs as `async main` would.
@main
enum Entry {
    static func main() throws {
        DaemonExecutors.installUnlessDisabled()
        try DaemonExecutors.runMain {
            await Seedwatch.main()
            exit(0)
        }
    }
}
