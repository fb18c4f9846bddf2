import ArgumentParser

/// `seedwatch eval …`: evaluation commands that read public corpora and print figures.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a processor on a labelled corpus.",
        subcommands: [
            // One line per evaluation command.
            EvalSummaryCommand.self,
            EvalNERCommand.self,
            EvalTopicsCommand.self,
        ]
    )
}
