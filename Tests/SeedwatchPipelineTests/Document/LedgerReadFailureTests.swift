import Foundation
import SeedwatchCore
import SeedwatchPipeline
import Testing

/// A ledger read that fails (the database's connection cut) is not taken for "no row".
@Suite("DocumentPipeline: ledger reads that fail")
struct LedgerReadFailureTests {
    @Test("a duplicate look-up that fails is retried: a copy of processed content is not processed as new")
    func failedDuplicateLookUp() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            try fixture.write("a.txt", "the same seed", second: 1)
            try fixture.write("b.txt", "the same seed", second: 2)
            guard case .processed? = await fixture.run("a.txt", sequence: 0) else { Issue.record("a.txt not processed"); return }
            // Admission's read of b.txt's row answers; the look-up of the content's original fails once.
            let admission = try #require(fixture.pipeline.admit("b.txt", settings: fixture.settings))
            fixture.ledger.failReads(1)
            let outcome = await fixture.pipeline.process(admission, sequence: 1, settings: fixture.settings, runner: fixture.runner)
            guard case let .duplicate(_, original) = outcome else { Issue.record("expected a duplicate, got \(outcome)"); return }
            #expect(original == "a.txt")
            #expect(try fixture.ledger.counts() == [.processed: 1, .duplicate: 1])
        }
    }

    @Test("a row that cannot be read at admission is read again: a changed original's duplicate still becomes the original")
    func failedAdmissionRead() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            for (second, name) in ["a.txt", "b.txt"].enumerated() { try fixture.write(name, "the same seed", second: second) }
            for (sequence, name) in ["a.txt", "b.txt"].enumerated() { _ = await fixture.run(name, sequence: UInt64(sequence)) }
            try fixture.write("a.txt", "new content for a", second: 10)
            fixture.ledger.failReads(1)
            #expect(await fixture.run("a.txt", sequence: 2) != nil)
            // Read as "no row", a.txt would have been new, and b.txt left pointing at content a.txt no longer holds.
            #expect(fixture.requeued.withLock { $0 } == ["b.txt"])
        }
    }
}
