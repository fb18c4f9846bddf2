import Foundation
import SeedwatchCore
import SeedwatchPipeline
import Testing

/// The pipeline's decisions on real files: unchanged, changed, duplicate, quarantine.
@Suite("DocumentPipeline decisions")
struct DocumentPipelineTests {
    @Test("a new file is processed: one result, a processed ledger row with its id, its ledger row read once")
    func newFile() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            try fixture.write("a.txt", "hello", second: 1)
            let outcome = try #require(await fixture.run("a.txt"))
            #expect(fixture.ledger.entryReads == 1)
            guard case let .processed(id) = outcome else { Issue.record("expected processed, got \(outcome)"); return }
            #expect(try fixture.results() == [id + ".json"])
            #expect(try fixture.record(id)["results"]?["upper"]?["text"] == .string("HELLO"))
            let row = try #require(try fixture.ledger.kept.entry(path: "a.txt"))
            #expect(row.status == .processed && row.resultID == id && row.size == 5)
        }
    }

    @Test("unchanged: the same size and mtime is not admitted; a touched file with the same content only updates its stamp")
    func unchanged() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            try fixture.write("a.txt", "hello", second: 1)
            _ = await fixture.run("a.txt", sequence: 0)
            let before = try fixture.results()
            #expect(await fixture.run("a.txt", sequence: 1) == nil)

            try fixture.write("a.txt", "hello", second: 2)
            #expect(await fixture.run("a.txt", sequence: 2) == .unchanged)
            #expect(try fixture.results() == before)
            let row = try #require(try fixture.ledger.kept.entry(path: "a.txt"))
            #expect(row.modifiedNanoseconds == 1_700_000_002 * 1_000_000_000)
            #expect(await fixture.run("a.txt", sequence: 3) == nil)
        }
    }

    @Test("changed: new content is processed again and replaces the old result")
    func changed() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            try fixture.write("a.txt", "first", second: 1)
            let first = await fixture.run("a.txt", sequence: 0)
            try fixture.write("a.txt", "second", second: 2)
            let second = try #require(await fixture.run("a.txt", sequence: 1))
            guard case let .processed(id) = second else { Issue.record("expected processed, got \(second)"); return }
            #expect(first != second)
            #expect(try fixture.results() == [id + ".json"])
            #expect(try fixture.record(id)["results"]?["upper"]?["text"] == .string("SECOND"))
            #expect(try fixture.ledger.kept.entry(path: "a.txt")?.resultID == id)
        }
    }

    @Test("duplicate: the same content under a second name gets a duplicate record pointing at the original's result")
    func duplicate() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            try fixture.write("a.txt", "same words", second: 1)
            try fixture.write("b.txt", "same words", second: 2)
            guard case let .processed(original) = await fixture.run("a.txt", sequence: 0) else { Issue.record("a.txt not processed"); return }
            let outcome = try #require(await fixture.run("b.txt", sequence: 1))
            guard case let .duplicate(id, of) = outcome else { Issue.record("expected duplicate, got \(outcome)"); return }
            #expect(of == "a.txt")
            let record = try fixture.record(id)
            #expect(record["status"] == .string("duplicate"))
            #expect(record["duplicate_of"] == .string(original))
            #expect(record["results"] == .object([:]))
            #expect(try fixture.ledger.kept.entry(path: "b.txt")?.status == .duplicate)
            #expect(try fixture.ledger.kept.counts() == [.processed: 1, .duplicate: 1])
        }
    }

    @Test("duplicates processed again when configured so")
    func duplicatesProcessed() async throws {
        try await withTemporaryDirectory { folder in
            var fixture = try PipelineFixture(root: folder)
            fixture.processDuplicates = true
            try fixture.write("a.txt", "same words", second: 1)
            try fixture.write("b.txt", "same words", second: 2)
            _ = await fixture.run("a.txt", sequence: 0)
            let outcome = try #require(await fixture.run("b.txt", sequence: 1))
            guard case .processed = outcome else { Issue.record("expected processed, got \(outcome)"); return }
            #expect(try fixture.ledger.kept.counts() == [.processed: 2])
        }
    }

    @Test("quarantine: empty, binary and too large files get a record and no result", arguments: [
        ("empty.txt", Data(), QuarantineCode.empty),
        ("nul.txt", Data([0x61, 0x00, 0x62]), QuarantineCode.binary),
        ("big.txt", Data(repeating: 0x61, count: 2_000), QuarantineCode.tooLarge),
    ])
    func quarantine(name: String, bytes: Data, code: QuarantineCode) async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            try fixture.write(name, bytes, second: 1)
            let outcome = try #require(await fixture.run(name))
            guard case .quarantined(code, _) = outcome else { Issue.record("expected \(code), got \(outcome)"); return }
            #expect(try fixture.results().isEmpty)
            #expect(try fixture.quarantined() == [ResultNaming.quarantineName(relativePath: name)])
            let row = try #require(try fixture.ledger.kept.entry(path: name))
            #expect(row.status == .quarantined && row.code == code.rawValue)
        }
    }

    @Test("a file that vanished before reading is quarantined without a ledger row")
    func vanished() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            let outcome = try #require(await fixture.run("gone.txt"))
            #expect(outcome == .quarantined(code: .vanished, message: "the file no longer exists"))
            #expect(try fixture.ledger.kept.entry(path: "gone.txt") == nil)
        }
    }

    @Test("a quarantined file fixed later is processed and its quarantine record removed")
    func fixedAfterQuarantine() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            try fixture.write("a.txt", Data([0, 1, 2]), second: 1)
            _ = await fixture.run("a.txt", sequence: 0)
            #expect(try fixture.quarantined().count == 1)
            try fixture.write("a.txt", "fixed", second: 2)
            let outcome = try #require(await fixture.run("a.txt", sequence: 1))
            guard case .processed = outcome else { Issue.record("expected processed, got \(outcome)"); return }
            #expect(try fixture.quarantined().isEmpty)
        }
    }

    @Test("a name that is not valid UTF-8 is quarantined without being opened")
    func badName() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            let outcome = await fixture.pipeline.process(fixture.pipeline.admit(badName: "bad%FF.txt"), sequence: 0, settings: fixture.settings, runner: fixture.runner)
            guard case .quarantined(.badName, _) = outcome else { Issue.record("expected bad_name, got \(outcome)"); return }
            #expect(try fixture.quarantined() == [ResultNaming.quarantineName(relativePath: "bad%FF.txt")])
        }
    }

    @Test("alerts are kept after the result is written, in document order")
    func alerts() async throws {
        try await withTemporaryDirectory { folder in
            let fixture = try PipelineFixture(root: folder)
            try fixture.write("one.txt", "ALERT one", second: 1)
            try fixture.write("quiet.txt", "nothing", second: 2)
            try fixture.write("two.txt", "ALERT two", second: 3)
            for (index, name) in ["one.txt", "quiet.txt", "two.txt"].enumerated() { _ = await fixture.run(name, sequence: UInt64(index)) }
            let kept = try fixture.alerts.alerts()
            #expect(kept.map { $0["path"] } == [.string("one.txt"), .string("two.txt")])
            #expect(kept.allSatisfy { $0["class"] == .string("test_alert") })
        }
    }
}
