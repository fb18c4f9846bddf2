import Foundation
import SeedwatchCore
import SeedwatchPipeline
import Testing

/// The pipeline's side of `ingest.after`, on real folders with the in-memory ledger.
@Suite("DocumentPipeline dispositions")
struct DispositionPipelineTests {
    private func settings(_ fixture: PipelineFixture, _ disposition: InputDisposition) -> DocumentPipeline.Settings {
        DocumentPipeline.Settings(root: fixture.watch, maxSize: fixture.maxSize, disposition: disposition)
    }

    private func run(_ fixture: PipelineFixture, _ name: String, _ settings: DocumentPipeline.Settings, sequence: UInt64) async -> DocumentPipeline.Outcome? {
        guard let admission = fixture.pipeline.admit(name, settings: settings) else {
            await fixture.runner.skip(sequence: sequence)
            return nil
        }
        return await fixture.pipeline.process(admission, sequence: sequence, settings: settings, runner: fixture.runner)
    }

    // Found by the quarantine end-to-end test under `delete`: a second event for a file already
    // deleted gave it a `vanished` quarantine record beside its result.
    @Test("a later event for an input already deleted does nothing: no vanished record beside its result")
    func laterEventAfterDelete() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            let delete = settings(fixture, .delete(quarantineFiles: fixture.quarantine + "/files"))
            try fixture.write("a.txt", "some words", second: 1)
            guard case .processed? = await run(fixture, "a.txt", delete, sequence: 0) else { Issue.record("not processed"); return }
            #expect(!FileManager.default.fileExists(atPath: fixture.watch + "/a.txt"))
            #expect(await run(fixture, "a.txt", delete, sequence: 1) == .unchanged)
            #expect(try fixture.quarantined().isEmpty)
            #expect(try fixture.results().count == 1)
        }
    }

    @Test("with move, a later input under a name already done is a new document: both results stay, both inputs in done/")
    func sameNameAgain() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            let done = folder + "/done"
            let move = settings(fixture, .move(done: done, quarantineFiles: fixture.quarantine + "/files"))
            try fixture.write("a.txt", "monday words", second: 1)
            _ = await run(fixture, "a.txt", move, sequence: 0)
            try fixture.write("a.txt", "tuesday words", second: 2)
            _ = await run(fixture, "a.txt", move, sequence: 1)
            #expect(try fixture.results().count == 2)
            #expect(try String(contentsOfFile: done + "/a.txt", encoding: .utf8) == "monday words")
            #expect(try String(contentsOfFile: done + "/a-1.txt", encoding: .utf8) == "tuesday words")
            #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.watch).isEmpty)
        }
    }
}
