import ArgumentParser
import FoundationEssentials
import Glibc
import Logging
import SeedwatchCore
import SeedwatchDaemon
import SeedwatchPipeline
import SeedwatchProcessors
import SeedwatchText

/// `seedwatch eval summary`: summaries of the BBC News Summary split, for ROUGE scoring, and a
/// single-core throughput figure.
///
/// Writes one JSON line per article (`id`, `k3`: 3-sentence summary, `kref`: summary as long as the
/// reference) so `Benchmarks/summary/score.py` can score them with the same `rouge-score` setup as
/// the peers. The corpus is read from `../shared/eval`, never copied into the repository.
///
/// `--as-files` evaluates the articles as they arrive in the watch folder: each is written as a
/// file (headline, blank line, body) and read back and processed as `seedwatch process --json`
/// does; the 3-sentence summary is the pipeline's own `summary` result.
struct EvalSummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarise the BBC News Summary split and time it (score with Benchmarks/summary/score.py)."
    )

    @Option(help: "The corpus (JSON lines with id, text, reference).")
    var data = "../shared/eval/summ/bbc_news_summary.jsonl"
    @Option(help: "Split: test, dev or all (ids from <data folder>/<split>_ids.txt).")
    var split = "test"
    @Option(help: "An id file to use instead of the split's (a dev subset while tuning).")
    var ids: String?
    @Option(help: "Where to write the summaries (JSON lines); none when omitted.")
    var out: String?
    @Option(name: .customLong("param"), help: "Scorer override NAME=VALUE (tuning on dev), repeatable.")
    var params: [String] = []
    @Option(help: "Timing passes over the split (single thread); 0 skips timing.")
    var passes = 3
    @Flag(name: .customLong("as-files"), help: "Write each article as a file (title, blank line, body) and process the files as `seedwatch process --json` does.")
    var asFiles = false
    @Option(name: .customLong("files-dir"), help: "With --as-files: the folder the files are written to (default: a temporary one, removed afterwards).")
    var filesDir: String?
    @OptionGroup var options: ConfigOptions

    struct Article: Decodable {
        var id: String
        var title: String?
        var text: String
        var reference: String

        /// The article as a file arrives: headline, blank line, body.
        var fileText: String {
            guard let title, !title.isEmpty else { return text + "\n" }
            return title + "\n\n" + text + "\n"
        }
    }

    func run() async throws {
        var parameters = SummaryParameters()
        for param in params {
            let parts = param.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]), parameters.set(parts[0], value) else {
                throw ValidationError("bad --param '\(param)': expected NAME=NUMBER with a known name")
            }
        }
        let articles = try Self.load(data: data, split: split, ids: ids)
        let text = TextProcessor()
        let summary = SummaryProcessor(keyphrases: 0, parameters: parameters)
        if asFiles {
            guard let out else { throw ValidationError("--as-files needs --out") }
            try await evaluateFiles(articles, summary: summary, tuned: !params.isEmpty, out: out)
            return
        }
        if let out {
            var lines = Data()
            for article in articles {
                let analysis = text.analyze(Document.fromText(article.text, name: "bbc.txt", format: .plain)).analysis
                let refCount = article.reference.split(separator: "\n").count
                let record = JSONValue.object([
                    "id": .array([.string(article.id)]),
                    "k3": .array(summary.summarize(analysis, count: 3).sentences.map { .string($0.text) }),
                    "kref": .array(summary.summarize(analysis, count: refCount).sentences.map { .string($0.text) }),
                ])
                lines.append(contentsOf: record.encodedSorted())
                lines.append(0x0A)
            }
            try lines.write(to: URL(fileURLWithPath: out))
        }
        guard passes > 0 else { return }
        let fullProcessor = SummaryProcessor(parameters: parameters)
        // Documents are made before the clock starts: hashing and decoding are ingest's cost.
        let documents = articles.map { Document.fromText($0.text, name: "bbc.txt", format: .plain) }
        var checksum = 0
        let cpuStart = Self.threadCPUSeconds()
        let start = ContinuousClock.now
        for _ in 0..<passes {
            for document in documents {
                let analysis = text.analyze(document).analysis
                checksum &+= fullProcessor.summarize(analysis).sentences.count
            }
        }
        let elapsed = ContinuousClock.now - start
        let cpu = Self.threadCPUSeconds() - cpuStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let docs = articles.count * passes
        // Both clocks: on a shared machine the wall clock also counts time the thread waited for a core.
        print(CFormat.string("summary throughput: %ld documents, one thread (text + summary + keyphrases): wall %.3f s = %.0f docs/s; thread CPU %.3f s = %.0f docs/s (checksum %ld)",
                     docs, seconds, Double(docs) / max(seconds, 1e-9), cpu, Double(docs) / max(cpu, 1e-9), checksum))
    }

    /// Writes the articles as files, then reads and processes each one as `seedwatch process --json`
    /// does (same intake, decoding, format detection and processor runner). The 3-sentence
    /// summary is the runner's `summary` result; with `--param` overrides, and for the
    /// reference-length summary, the summary processor runs on the runner's `text` result.
    func evaluateFiles(_ articles: [Article], summary: SummaryProcessor, tuned: Bool, out: String) async throws {
        let configuration = try options.load()
        let runner = try ProcessorSetup.makeRunner(configuration, store: MemoryStateStore(), only: ["text", "summary"])
        let folder = filesDir ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("seedwatch-eval-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if filesDir == nil { try? FileManager.default.removeItem(atPath: folder) } }
        // The pipeline of `seedwatch process --json`: its results kept instead of printed.
        let sink = KeepingSink()
        let quiet = Logger(label: "seedwatch") { _ in SwiftLogNoOpLogHandler() }
        let pipeline = DocumentPipeline(ledger: ForgetfulLedger(), sink: sink, alerts: MemoryAlertLog(), logger: quiet)
        let settings = DocumentPipeline.Settings(root: folder, maxSize: configuration.integer("ingest.max_size"), processDuplicates: true)
        var lines = Data()
        var titled = 0
        for (index, article) in articles.enumerated() {
            let name = article.id.split(separator: "/").joined(separator: "_") + ".txt"
            let path = folder + "/" + name
            try Data(article.fileText.utf8).write(to: URL(fileURLWithPath: path))
            guard let admission = pipeline.admit(name, settings: settings) else { throw ValidationError("\(path): not admitted") }
            let outcome = await pipeline.process(admission, sequence: UInt64(index), settings: settings, runner: runner)
            guard case .processed = outcome, let record = sink.take(),
                  let textResult = record.results["text"]?.output as? TextResult,
                  let pipelineSummary = record.results["summary"]?.output as? SummaryResult
            else { throw ValidationError("\(path): the text or summary processor gave no result (\(outcome))") }
            let analysis = textResult.analysis
            if analysis.title != nil { titled += 1 }
            let k3 = tuned ? summary.summarize(analysis, count: 3) : pipelineSummary
            let refCount = article.reference.split(separator: "\n").count
            let line = JSONValue.object([
                "id": .array([.string(article.id)]),
                "k3": .array(k3.sentences.map { .string($0.text) }),
                "kref": .array(summary.summarize(analysis, count: refCount).sentences.map { .string($0.text) }),
            ])
            lines.append(contentsOf: line.encodedSorted())
            lines.append(0x0A)
        }
        try lines.write(to: URL(fileURLWithPath: out))
        StandardStreams.writeError("eval summary --as-files: \(articles.count) files, a title found in \(titled)\n")
    }

    /// CPU time consumed by the calling thread.
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The articles of `split`, in the order of its id file.
    static func load(data: String, split: String, ids idsPath: String? = nil) throws -> [Article] {
        let dataURL = URL(fileURLWithPath: data)
        let decoder = JSONDecoder()
        var byID: [String: Article] = [:]
        var order: [String] = []
        for line in try String(contentsOf: dataURL, encoding: .utf8).split(separator: "\n") where !line.isEmpty {
            let article = try decoder.decode(Article.self, from: Data(line.utf8))
            byID[article.id] = article
            order.append(article.id)
        }
        guard split != "all" || idsPath != nil else { return order.compactMap { byID[$0] } }
        let idsURL = idsPath.map { URL(fileURLWithPath: $0) }
            ?? dataURL.deletingLastPathComponent().appendingPathComponent("\(split)_ids.txt")
        let ids = try String(contentsOf: idsURL, encoding: .utf8).split(separator: "\n").map {
            String($0).trimmingWhitespace()
        }.filter { !$0.isEmpty }
        return ids.compactMap { byID[$0] }
    }
}

/// Keeps the last result the pipeline wrote (one document at a time), for the evaluation.
private final class KeepingSink: DocumentSink {
    private let last = Locked<ResultRecord?>(nil)

    func write(_ record: ResultRecord) async throws { last.withLock { $0 = record } }
    func quarantine(_ record: QuarantineWriter.Record) async throws {}
    func removeResult(id: String) {}
    func clearQuarantine(relativePath: String) {}

    func take() -> ResultRecord? { last.withLock { record in defer { record = nil }; return record } }
}
