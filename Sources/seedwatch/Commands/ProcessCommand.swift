import ArgumentParser
import FoundationEssentials
import Glibc
import Logging
import SeedwatchCore
import SeedwatchDaemon
import SeedwatchPipeline

/// `seedwatch process FILE…`: the daemon's document pipeline once, on the given files, with a
/// ledger that remembers nothing and a sink that prints.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Run the pipeline once on files and print the results (the ledger is not touched)."
    )

    @OptionGroup var options: ConfigOptions
    @Option(help: "Comma-separated processors to run (default: those enabled in the configuration).")
    var processors: String?
    @Flag(help: "Print one result per line, exactly as written to the outbox.")
    var json = false
    @Argument(help: "Files to process.") var files: [String]

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
        // What the daemon logs per document is not this command's output.
        let quiet = Logger(label: "seedwatch") { _ in SwiftLogNoOpLogHandler() }
        let pipeline = DocumentPipeline(ledger: ForgetfulLedger(), sink: PrintingSink(json: json), alerts: MemoryAlertLog(), logger: quiet)
        var failures = 0
        for (index, file) in files.enumerated() {
            let url = URL(fileURLWithPath: file)
            let name = url.lastPathComponent
            let settings = DocumentPipeline.Settings(
                root: url.deletingLastPathComponent().path, maxSize: configuration.integer("ingest.max_size"), processDuplicates: true
            )
            guard let admission = pipeline.admit(name, settings: settings) else { continue }
            switch await pipeline.process(admission, sequence: UInt64(index), settings: settings, runner: runner) {
            case let .quarantined(code, message):
                failures += 1
                StandardStreams.writeError("seedwatch: \(file): \(code.rawValue): \(message)\n")
            case .abandoned:
                failures += 1
                StandardStreams.writeError("seedwatch: \(file): interrupted\n")
            case .processed, .duplicate, .unchanged:
                break
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// `seedwatch process` output: each result printed, exactly the outbox schema with `--json`,
/// else a few readable lines. Quarantined files are reported by the command, with the name given.
struct PrintingSink: DocumentSink {
    var json: Bool

    func write(_ record: ResultRecord) async throws {
        if json {
            StandardStreams.write(try record.encoded(), to: STDOUT_FILENO)
        } else {
            print(Self.summary(record))
        }
    }

    func quarantine(_ record: QuarantineWriter.Record) async throws {}
    func removeResult(id: String) {}
    func clearQuarantine(relativePath: String) {}

    /// A few readable lines per file.
    static func summary(_ record: ResultRecord) -> String {
        var lines = ["\(record.source.path) (\(record.source.size) bytes, \(record.encoding), \(record.format), sha256 \(record.source.sha256.prefix(12)))"]
        for name in record.processors.keys.sorted() {
            if let result = record.results[name] {
                lines.append("  \(name): \(compactJSON(result))")
            } else if let failure = record.errors[name] {
                lines.append("  \(name): ERROR \(failure.code): \(failure.message)")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func compactJSON(_ output: EncodedOutput) -> String {
        guard let bytes = try? SortedJSONEncoder.encode(output) else { return "(unencodable)" }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.count > 400 ? String(text.prefix(400)) + "…" : text
    }
}
