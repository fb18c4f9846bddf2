import Foundation
import Logging
import SeedwatchCore
import SeedwatchPipeline
import Testing

/// A document pipeline over real folders (watch, outbox, quarantine) in a temporary folder,
/// with the in-memory ledger and alert log.
struct PipelineFixture {
    let root: String
    let watch: String
    let outbox: String
    let quarantine: String
    let ledger: ReadCountingLedger
    let alerts = MemoryAlertLog()
    /// The files the pipeline put back in the queue.
    let requeued = Locked<[String]>([])
    let pipeline: DocumentPipeline
    let runner: ProcessorRunner
    var processDuplicates = false
    var maxSize = 1_000

    init(root: String, processors: [any Processor] = [UpperCase(), AlertOnDemand()]) throws {
        self.root = root
        watch = root + "/watch"
        outbox = root + "/outbox"
        quarantine = root + "/quarantine"
        try FileManager.default.createDirectory(atPath: watch, withIntermediateDirectories: true)
        ledger = ReadCountingLedger()
        pipeline = DocumentPipeline(
            ledger: ledger, sink: try OutboxSink(outbox: outbox, quarantine: quarantine), alerts: alerts,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            requeue: { [requeued] path in requeued.withLock { $0.append(path) } }
        )
        runner = try ProcessorRunner(entries: processors.map { ProcessorRunner.Entry(processor: $0, timeout: .seconds(30)) })
    }

    var settings: DocumentPipeline.Settings {
        DocumentPipeline.Settings(root: watch, maxSize: maxSize, processDuplicates: processDuplicates)
    }

    /// Writes `text` as `name`, with a modification time of its own (`second`), so a rewrite is
    /// always seen as a change even within one tick of the file system's clock.
    func write(_ name: String, _ text: String, second: Int) throws {
        try write(name, Data(text.utf8), second: second)
    }

    func write(_ name: String, _ bytes: Data, second: Int) throws {
        let path = watch + "/" + name
        try bytes.write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000 + Double(second))], ofItemAtPath: path)
    }

    /// Admits and processes `name`; nil when admission found it unchanged.
    func run(_ name: String, sequence: UInt64 = 0) async -> DocumentPipeline.Outcome? {
        guard let admission = pipeline.admit(name, settings: settings) else {
            await runner.skip(sequence: sequence)
            return nil
        }
        return await pipeline.process(admission, sequence: sequence, settings: settings, runner: runner)
    }

    func results() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: outbox).filter { $0.hasSuffix(".json") }.sorted()
    }

    func quarantined() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: quarantine).sorted()
    }

    func record(_ id: String) throws -> JSONValue {
        try #require(JSONValue.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: outbox + "/" + id + ".json")))))
    }
}

/// The in-memory ledger, counting reads of a path's row; `failReads` makes the next reads of
/// a row or of a content's original fail, as a database whose connection was cut does.
final class ReadCountingLedger: FileLedger {
    let kept = MemoryLedger()
    private let reads = Locked(0)
    private let failing = Locked(0)

    struct ReadFailed: Error {}

    var entryReads: Int { reads.withLock { $0 } }

    func failReads(_ count: Int) {
        failing.withLock { $0 = count }
    }

    private func failIfAsked() throws {
        let fail = failing.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        if fail { throw ReadFailed() }
    }

    func entry(path: String) throws -> LedgerEntry? {
        reads.withLock { $0 += 1 }
        try failIfAsked()
        return try kept.entry(path: path)
    }

    func processed(sha256: String, excluding path: String) throws -> LedgerEntry? {
        try failIfAsked()
        return try kept.processed(sha256: sha256, excluding: path)
    }
    func duplicates(of path: String, sha256: String) throws -> [LedgerEntry] { try kept.duplicates(of: path, sha256: sha256) }
    func record(_ entry: LedgerEntry) throws { try kept.record(entry) }
    func forget(path: String) throws { try kept.forget(path: path) }
    func counts() throws -> [LedgerStatus: Int] { try kept.counts() }
}

/// The document's text in upper case.
struct UpperCase: Processor {
    let name = "upper"

    func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
        Text(text: input.document.text.uppercased())
    }
}

/// Raises one alert for a document whose text contains "ALERT".
struct AlertOnDemand: Processor {
    let name = "alerting"

    struct Output: AlertRaising {
        var raisedAlerts: [RaisedAlert]
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(raisedAlerts.count)
        }
    }

    func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
        guard input.document.text.contains("ALERT") else { return Output(raisedAlerts: []) }
        let alert = RaisedAlert(
            alertClass: "test_alert", messageID: String(repeating: "a", count: 32), message: "alert in \(input.document.source.relativePath)",
            fields: [:], record: .object(["path": .string(input.document.source.relativePath)])
        )
        return Output(raisedAlerts: [alert])
    }
}

/// Says when it starts, then waits until its call is cancelled.
struct WaitsUntilCancelled: Processor {
    let name = "waits"
    let started: AsyncStream<Void>.Continuation

    func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
        started.yield()
        try await Task.sleep(for: .seconds(3_600))
        return Text(text: "never")
    }
}
