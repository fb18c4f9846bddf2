import ArgumentParser
import FoundationEssentials
import Glibc
import Logging
import SeedwatchCore
import SeedwatchDaemon
import SeedwatchIngest
import SeedwatchPipeline

/// `seedwatch process FILE…`: the daemon's document pipeline once, on the given files, with a
/// ledger that remembers nothing and a sink that prints.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Run the pipeline once on files and print the results (the ledger is not touched).",
        discussion: """
        Folders are walked (sub-folders too, names matching ingest.ignore left out), oldest file first; \
        - reads standard input. Without --json each file gets a short report (title, summary, entities by \
        type, topic and alerts, warnings); on a terminal a progress line on standard error follows a run \
        of several files.

        Exit status: 0 every file processed (or found a duplicate); 1 an argument could not be read (no \
        such file, a folder that cannot be listed) or the run was interrupted; 2 a configuration error; \
        3 a file was quarantined (its code and message on standard error); 64 a usage error.
        """
    )

    /// Exit statuses, as documented above and in the README.
    enum Status {
        static let unreadableArgument: Int32 = 1
        static let quarantined: Int32 = 3
    }

    @OptionGroup var options: ConfigOptions
    @Option(help: "Comma-separated processors to run (default: those enabled in the configuration).")
    var processors: String?
    @Flag(help: "Print one result per line, exactly as written to the outbox.")
    var json = false
    @Argument(help: ArgumentHelp("Files or folders to process; - reads standard input.", valueName: "path"))
    var paths: [String] = []

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Name at least one file, folder, or - for standard input.") }
    }

    func run() async throws {
        let configuration = try options.load()
        let only = processors.map { $0.split(separator: ",").map { String($0).trimmingWhitespace() } }
        let runner: ProcessorRunner
        do {
            runner = try ProcessorSetup.makeRunner(configuration, store: MemoryStateStore(), only: only)
        } catch {
            StandardStreams.writeError("seedwatch: configuration error: \(error)\n")
            throw ExitCode(2)
        }
        let maxSize = configuration.integer("ingest.max_size")
        let expanded = ProcessInputs(arguments: paths, ignore: IgnorePatterns(configuration.list("ingest.ignore")), maxSize: maxSize)
        defer { expanded.removeTemporaryFiles() }
        for problem in expanded.problems { StandardStreams.writeError("seedwatch: \(problem)\n") }

        let printer = ResultPrinter(json: json, standardInputPath: expanded.standardInputPath, progress: ProgressLine(total: expanded.inputs.count))
        // What the daemon logs per document is not this command's output.
        let quiet = Logger(label: "seedwatch") { _ in SwiftLogNoOpLogHandler() }
        let pipeline = DocumentPipeline(ledger: ForgetfulLedger(), sink: printer, alerts: MemoryAlertLog(), logger: quiet)
        printer.start()
        var quarantined = 0
        var interrupted = false
        for (index, input) in expanded.inputs.enumerated() {
            let settings = DocumentPipeline.Settings(root: input.root, maxSize: maxSize, processDuplicates: true)
            let admission: DocumentPipeline.Admission?
            switch input.name {
            case let .file(name): admission = pipeline.admit(name, settings: settings)
            case let .badName(escaped): admission = pipeline.admit(badName: escaped)
            }
            defer { printer.advance() }
            guard let admission else { continue }
            printer.begin(shown: input.shown)
            switch await pipeline.process(admission, sequence: UInt64(index), settings: settings, runner: runner) {
            case let .quarantined(code, message):
                quarantined += 1
                printer.diagnose("seedwatch: \(input.shown): \(code.rawValue): \(message) (\(code.advice))\n")
            case .abandoned:
                interrupted = true
                printer.diagnose("seedwatch: \(input.shown): interrupted\n")
            case .processed, .duplicate, .unchanged:
                break
            }
        }
        printer.finish()
        if !expanded.problems.isEmpty || interrupted { throw ExitCode(Status.unreadableArgument) }
        if quarantined > 0 { throw ExitCode(Status.quarantined) }
    }
}
