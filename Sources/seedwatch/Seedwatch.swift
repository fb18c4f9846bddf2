import ArgumentParser

@main
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
