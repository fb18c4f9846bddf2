import Glibc
import SeedwatchCore
import SeedwatchPipeline

/// `seedwatch process`'s sink: each result printed as it is written, exactly the outbox schema
/// with `--json`, else a `ReadableReport`; the progress line is cleared around every output so
/// the two never mix on a terminal. Quarantined files are reported by the command, with the
/// name given.
final class ResultPrinter: DocumentSink {
    let json: Bool
    /// The copy of standard input, whose results show `-` as their path.
    let standardInputPath: String?
    private let state: Locked<(progress: ProgressLine, shown: String)>

    init(json: Bool, standardInputPath: String?, progress: ProgressLine) {
        self.json = json
        self.standardInputPath = standardInputPath
        state = Locked((progress, ""))
    }

    func start() { state.withLock { $0.progress.start() } }
    func advance() { state.withLock { $0.progress.advance() } }
    func finish() { state.withLock { $0.progress.clear() } }

    /// The file about to be processed, as the command names it.
    func begin(shown: String) { state.withLock { $0.shown = shown } }

    /// A line on standard error, around the progress line.
    func diagnose(_ text: String) {
        state.withLock { current in
            current.progress.clear()
            StandardStreams.writeError(text)
            current.progress.redraw()
        }
    }

    func write(_ record: ResultRecord) async throws {
        var record = record
        if let standardInputPath, record.source.path == standardInputPath { record.source.path = "-" }
        let bytes = try record.encoded()
        state.withLock { current in
            current.progress.clear()
            if json {
                StandardStreams.write(bytes, to: STDOUT_FILENO)
            } else {
                StandardStreams.writeOut(ReadableReport.render(JSONValue.parse(bytes) ?? .null, shown: current.shown))
            }
            current.progress.redraw()
        }
    }

    func quarantine(_ record: QuarantineWriter.Record) async throws {}
    func removeResult(id: String) {}
    func clearQuarantine(relativePath: String) {}
}
