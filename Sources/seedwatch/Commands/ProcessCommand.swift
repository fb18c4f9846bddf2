import ArgumentParser
import FoundationEssentials
import Glibc
import SeedwatchCore
import SeedwatchDaemon
import SeedwatchIngest
import SeedwatchPipeline

/// `seedwatch process FILE…`: the daemon's pipeline once, on the given files, without the ledger.
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
        let maxSize = configuration.integer("ingest.max_size")
        var failures = 0
        for (index, file) in files.enumerated() {
            switch OneShot.document(path: file, maxSize: maxSize, sequence: UInt64(index)) {
            case let .failure(problem):
                failures += 1
                StandardStreams.writeError("seedwatch: \(file): \(problem.code.rawValue): \(problem.message)\n")
            case let .success(document):
                let outcomes = await runner.run(document)
                let record = ResultRecord(document: document, outcomes: outcomes, completedAt: Date())
                if json {
                    StandardStreams.write(try record.encoded(), to: STDOUT_FILENO)
                } else {
                    print(OneShot.summary(record, outcomes: outcomes))
                }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// Reading a named file for a one-shot run: the same decoding and limits as the daemon.
enum OneShot {
    struct Problem: Error {
        var code: QuarantineCode
        var message: String
    }

    static func document(path: String, maxSize: Int, sequence: UInt64) -> Result<Document, Problem> {
        let url = URL(fileURLWithPath: path)
        let intake = FileIntake(root: url.deletingLastPathComponent().path, maxSize: maxSize)
        let content: FileIntake.Content
        switch intake.readNow(url.lastPathComponent) {
        case let .failure(failure): return .failure(Problem(code: failure.code, message: failure.message))
        case let .success(read): content = read
        }
        if content.bytes.isEmpty { return .failure(Problem(code: .empty, message: "the file has no content")) }
        switch TextDecoding.decode(content.bytes) {
        case let .failure(.binary(offset)):
            return .failure(Problem(code: .binary, message: "a NUL byte at offset \(offset): this is not a text file"))
        case .failure(.invalidUTF16):
            return .failure(Problem(code: .undecodable, message: "a UTF-16 byte-order mark, but the rest is not valid UTF-16"))
        case let .success((text, encoding)):
            let name = url.lastPathComponent
            let source = SourceFile(path: url.path, relativePath: name, size: content.stamp.size, modified: content.stamp.modified, sha256: content.sha256)
            return .success(Document(
                id: ResultNaming.resultID(relativePath: name, sha256: content.sha256), source: source, text: text,
                encoding: encoding, format: DocumentFormat.detect(name: name, text: text), arrivedAt: Date(), sequence: sequence
            ))
        }
    }

    /// A few readable lines per file.
    static func summary(_ record: ResultRecord, outcomes: ProcessorOutcomes) -> String {
        var lines = ["\(record.source.path) (\(record.source.size) bytes, \(record.encoding), \(record.format), sha256 \(record.source.sha256.prefix(12)))"]
        for name in record.processors.keys.sorted() {
            switch outcomes.byName[name] {
            case let .success(output)?:
                lines.append("  \(name): \(compactJSON(output))")
            case let .failure(failure)?:
                lines.append("  \(name): ERROR \(failure.code): \(failure.message)")
            case nil:
                break
            }
        }
        return lines.joined(separator: "\n")
    }

    static func compactJSON(_ output: any ProcessorOutput) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(EncodedOutput(output)) else { return "(unencodable)" }
        let text = String(decoding: data, as: UTF8.self)
        return text.count > 400 ? String(text.prefix(400)) + "…" : text
    }
}
