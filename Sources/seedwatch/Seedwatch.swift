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

/// A synchronous entry point, so that the root task can prefer our executors (every task of the
/// daemon descends from it, `DaemonExecutors`); the command then runs as `async main` would, and
/// the main thread waits without waking until it exits.
@main
enum Entry {
    static func main() {
        DaemonExecutors.runMain {
            await Seedwatch.main()
            exit(0)
        }
    }
}
