import Foundation
import Glibc
import Logging
import SeedwatchCore
import Testing
@testable import SeedwatchPipeline

@Suite("Pipeline and the outbox folder sync")
struct PipelineFolderSyncTests {
    @Test("the ledger does not record a document while its result's folder fsync fails; it does once a sync succeeds")
    func ledgerWaitsForFolderSync() async throws {
        try await withTemporaryDirectory { root in
            let watch = root + "/watch"
            let outbox = root + "/outbox"
            try FileManager.default.createDirectory(atPath: watch, withIntermediateDirectories: true)
            try Data("a document\n".utf8).write(to: URL(fileURLWithPath: watch + "/a.txt"))
            let ledger = MemoryLedger()
            // The ledger row of a.txt as each sync starts; the first two syncs fail.
            let rowsAtSync = Locked<[LedgerEntry?]>([])
            let writer = try OutboxWriter(directory: outbox) { directory throws(SystemError) in
                let row = try? ledger.entry(path: "a.txt")
                let attempt = rowsAtSync.withLock { rows in
                    rows.append(row)
                    return rows.count
                }
                if attempt <= 2 { throw SystemError(operation: "fsync", path: directory, code: EIO) }
                try AtomicFile.syncDirectory(directory)
            }
            let sink = OutboxSink(outbox: writer, quarantine: try QuarantineWriter(directory: root + "/quarantine"))
            let pipeline = DocumentPipeline(ledger: ledger, sink: sink, alerts: MemoryAlertLog(), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            let runner = try ProcessorRunner(entries: [ProcessorRunner.Entry(processor: UpperCase(), timeout: .seconds(30))])
            let settings = DocumentPipeline.Settings(root: watch, maxSize: 1_000, processDuplicates: false)
            let admission = try #require(pipeline.admit("a.txt", settings: settings))
            let outcome = await pipeline.process(admission, sequence: 0, settings: settings, runner: runner)
            guard case let .processed(id) = outcome else {
                Issue.record("expected processed, got \(outcome)")
                return
            }
            let rows = rowsAtSync.withLock { $0 }
            #expect(rows.count == 3, "two failed syncs, each retried, then one that succeeded")
            #expect(rows.allSatisfy { $0 == nil }, "no ledger row before the result's name is durable")
            #expect(try ledger.entry(path: "a.txt")?.resultID == id)
            #expect(FileManager.default.fileExists(atPath: outbox + "/" + OutboxWriter.fileName(id: id)))
        }
    }
}
