import Foundation
import SeedwatchCore
import SeedwatchPipeline
import Testing

/// Regression tests for the pipeline's defects of issue 19.
@Suite("DocumentPipeline regressions")
struct PipelineDefectTests {
    // Issue 19, defect 4: a result with `cancelled` errors was written and the ledger said processed.
    @Test("a document cancelled while its processors run leaves no result and no ledger row, and is admitted again")
    func cancelledLeavesNothing() async throws {
        try await withTemporaryDirectory { folder in
            let (started, signal) = AsyncStream<Void>.makeStream()
            let fixture = try PipelineFixture(root: folder, processors: [UpperCase(), WaitsUntilCancelled(started: signal)])
            try fixture.write("a.txt", "hello", second: 1)
            let run = Task { await fixture.run("a.txt") }
            for await _ in started { break }
            run.cancel()
            #expect(await run.value == .abandoned)
            #expect(try fixture.results().isEmpty)
            #expect(try fixture.ledger.kept.entry(path: "a.txt") == nil)
            #expect(fixture.pipeline.admit("a.txt", settings: fixture.settings) != nil)
        }
    }

    // Found by the kill -9 torture (issue 19): two empty files read at once, the second was recorded as a
    // duplicate of the first, whose outcome is a quarantine record, so its `duplicate_of` named no result.
    // Before the fix each empty file claimed its content while it was being quarantined; with 40 at once on
    // the pool's threads the claims overlapped.
    @Test("empty and binary files read at once are each quarantined, never a duplicate of one another")
    func quarantinedContentIsNeverAnOriginal() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            let names = (0..<40).map { "e\($0).txt" } + (0..<40).map { "b\($0).bin" }
            for (index, name) in names.enumerated() {
                try fixture.write(name, name.hasSuffix(".bin") ? Data([0x89, 0x50, 0x00, 0x01]) : Data(), second: index)
            }
            let outcomes = await withTaskGroup(of: DocumentPipeline.Outcome?.self) { group in
                for (index, name) in names.enumerated() { group.addTask { await fixture.run(name, sequence: UInt64(index)) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count == names.count)
            #expect(outcomes.allSatisfy { if case .quarantined? = $0 { true } else { false } })
            #expect(try fixture.results().isEmpty)
            #expect(try fixture.quarantined().count == names.count)
        }
    }

    // Issue 19, defect 6: emptying a processed file left its old result beside the quarantine record.
    @Test("processed, then emptied: the quarantine record replaces the result; rewritten: one result, no quarantine record")
    func emptiedThenRewritten() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            try fixture.write("a.txt", "first words", second: 1)
            _ = await fixture.run("a.txt", sequence: 0)
            try fixture.write("a.txt", "", second: 2)
            #expect(await fixture.run("a.txt", sequence: 1) == .quarantined(code: .empty, message: "the file has no content"))
            #expect(try fixture.results().isEmpty)
            #expect(try fixture.quarantined().count == 1)

            try fixture.write("a.txt", "second words", second: 3)
            let outcome = try #require(await fixture.run("a.txt", sequence: 2))
            guard case let .processed(id) = outcome else { Issue.record("expected processed, got \(outcome)"); return }
            #expect(try fixture.results() == [id + ".json"])
            #expect(try fixture.quarantined().isEmpty)
        }
    }

    @Test("processed, then rewritten with another file's content: the duplicate record replaces the result")
    func processedThenDuplicate() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            try fixture.write("a.txt", "own words", second: 1)
            try fixture.write("b.txt", "shared words", second: 2)
            _ = await fixture.run("a.txt", sequence: 0)
            guard case let .processed(original) = await fixture.run("b.txt", sequence: 1) else { Issue.record("b.txt not processed"); return }
            try fixture.write("a.txt", "shared words", second: 3)
            let outcome = try #require(await fixture.run("a.txt", sequence: 2))
            guard case let .duplicate(id, _) = outcome else { Issue.record("expected duplicate, got \(outcome)"); return }
            #expect(try fixture.results() == [id + ".json", original + ".json"].sorted())
        }
    }

    // Issue 19, defect 7: a duplicate kept pointing at the result of an original that changed.
    @Test("when the original changes, the first duplicate is processed as the new original and the others point at it")
    func duplicatesOfAChangedOriginal() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            for (second, name) in ["a.txt", "b.txt", "c.txt"].enumerated() { try fixture.write(name, "the same seed", second: second) }
            for (sequence, name) in ["a.txt", "b.txt", "c.txt"].enumerated() { _ = await fixture.run(name, sequence: UInt64(sequence)) }
            let sha = try #require(try fixture.ledger.kept.entry(path: "a.txt")?.sha256)
            let heir = ResultNaming.resultID(relativePath: "b.txt", sha256: sha)

            try fixture.write("a.txt", "new content for a", second: 10)
            _ = await fixture.run("a.txt", sequence: 3)
            #expect(fixture.requeued.withLock { $0 } == ["b.txt"])
            #expect(try fixture.record(ResultNaming.resultID(relativePath: "c.txt", sha256: sha))["duplicate_of"] == .string(heir))

            // b.txt, queued again, is admitted (not found unchanged) and processed under the id its duplicate record had.
            #expect(await fixture.run("b.txt", sequence: 4) == .processed(id: heir))
            #expect(try fixture.record(heir)["status"] == .string("processed"))
            for name in try fixture.results() {
                let record = try fixture.record(String(name.dropLast(5)))
                if case let .string(target)? = record["duplicate_of"] {
                    #expect(try fixture.results().contains(target + ".json"), "\(name) points at \(target), which is gone")
                }
            }
        }
    }
}
