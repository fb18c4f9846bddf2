import Foundation
import Logging
import SeedwatchCore
import SeedwatchPipeline
import Testing

/// A sink whose quarantine writes wait until released, so a second document can run while the
/// first one is between its decision and its record.
private final class HeldQuarantineSink: DocumentSink {
    let inner: OutboxSink
    let entered: AsyncStream<Void>.Continuation
    let release: AsyncStream<Void>
    private let held = Locked(true)

    init(inner: OutboxSink, entered: AsyncStream<Void>.Continuation, release: AsyncStream<Void>) {
        self.inner = inner
        self.entered = entered
        self.release = release
    }

    func write(_ record: ResultRecord) async throws { try await inner.write(record) }
    func quarantine(_ record: QuarantineWriter.Record) async throws {
        if held.withLock({ let first = $0; $0 = false; return first }) {
            entered.yield()
            for await _ in release { break }
        }
        try await inner.quarantine(record)
    }
    func removeResult(id: String) { inner.removeResult(id: id) }
    func clearQuarantine(relativePath: String) { inner.clearQuarantine(relativePath: relativePath) }
}

@Suite("DocumentPipeline: quarantined content is no original")
struct QuarantinedClaimTests {
    // Found by the ingest.after kill -9 torture: the content hash was claimed before the empty,
    // binary and undecodable checks, so an empty file arriving while another was being
    // quarantined became a "duplicate" of a file that has no result.
    @Test("an empty file while another empty one is being quarantined is quarantined too, not its duplicate")
    func concurrentEmpties() async throws {
        try await withTemporaryDirectory { folder in
            let watch = folder + "/watch"
            try FileManager.default.createDirectory(atPath: watch, withIntermediateDirectories: true)
            try Data().write(to: URL(fileURLWithPath: watch + "/a.txt"))
            try Data().write(to: URL(fileURLWithPath: watch + "/b.txt"))
            let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
            let (release, releaseSignal) = AsyncStream<Void>.makeStream()
            let sink = HeldQuarantineSink(
                inner: try OutboxSink(outbox: folder + "/outbox", quarantine: folder + "/quarantine"), entered: enteredSignal, release: release
            )
            let pipeline = DocumentPipeline(
                ledger: MemoryLedger(), sink: sink, alerts: MemoryAlertLog(), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            )
            let runner = try ProcessorRunner(entries: [ProcessorRunner.Entry(processor: UpperCase(), timeout: .seconds(30))])
            let settings = DocumentPipeline.Settings(root: watch, maxSize: 1_000)
            let first = Task {
                await pipeline.process(try #require(pipeline.admit("a.txt", settings: settings)), sequence: 0, settings: settings, runner: runner)
            }
            for await _ in entered { break }
            let second = await pipeline.process(try #require(pipeline.admit("b.txt", settings: settings)), sequence: 1, settings: settings, runner: runner)
            releaseSignal.yield()
            #expect(second == .quarantined(code: .empty, message: "the file has no content"))
            #expect(try await first.value == .quarantined(code: .empty, message: "the file has no content"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/outbox").filter { $0.hasSuffix(".json") }.isEmpty)
        }
    }
}
