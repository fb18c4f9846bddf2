import Foundation
import Glibc
import SeedwatchCore
import SeedwatchTestSupport
import Testing

/// One name, one current record; duplicates keep a valid original (issue 19, defects 6 and 7),
/// end to end through the daemon's work queue.
@Suite("Record replacement", .timeLimit(.minutes(TestTime.minutes(2))))
struct RecordReplacementTests {
    static let text = "The harbour tram reopened on Monday after three weeks of repairs. Riders were pleased."

    @Test("new content renamed over an original: its first duplicate is processed as the original, the next points at it")
    func originalChanges() async throws {
        let daemon = try DaemonHarness()
        let (landed, arrival) = AsyncStream<String>.makeStream()
        let outbox = try FolderEvents(folder: daemon.outbox) { arrival.yield($0) }
        defer { outbox.stop() }
        try daemon.start(["processors.entities.enabled=false", "processors.topics.enabled=false"])
        try await daemon.waitReady()
        for (index, name) in ["a.txt", "b.txt", "c.txt"].enumerated() {
            try daemon.drop(name, Self.text)
            _ = try await within(20, "record \(index + 1)") { await outbox.await(count: index + 1) }
        }
        let sha = SHA256.hex(of: Array(Self.text.utf8))
        let heir = ResultNaming.resultID(relativePath: "b.txt", sha256: sha)
        let heirPath = daemon.outbox + "/" + heir + ".json"
        #expect(try daemon.json(heirPath)["status"] as? String == "duplicate")

        try daemon.drop("a.txt", "Entirely different news about a glacier survey in the north.")
        _ = try await within(30, "b.txt processed as the original") {
            for await path in landed where path == heirPath {
                if (try? daemon.json(heirPath))?["status"] as? String == "processed" { return true }
            }
            return false
        }
        // Stopped first: the rewrite of c.txt's record may still be in flight.
        #expect(try await daemon.stop() == 0)
        let duplicate = try daemon.json(daemon.outbox + "/" + ResultNaming.resultID(relativePath: "c.txt", sha256: sha) + ".json")
        #expect(duplicate["duplicate_of"] as? String == heir)
        for name in daemon.results() {
            if let target = try daemon.json(daemon.outbox + "/" + name)["duplicate_of"] as? String {
                #expect(daemon.results().contains(target + ".json"), "\(name) points at \(target), which is gone")
            }
        }
        #expect(!daemon.results().contains(ResultNaming.resultID(relativePath: "a.txt", sha256: sha) + ".json"))
    }

    @Test("processed, then emptied, then rewritten: one record at each step")
    func emptiedThenRewritten() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        let quarantine = try FolderEvents(folder: daemon.quarantine)
        defer {
            outbox.stop()
            quarantine.stop()
        }
        try daemon.start(["processors.entities.enabled=false", "processors.topics.enabled=false"])
        try await daemon.waitReady()
        try daemon.drop("a.txt", Self.text)
        _ = try await within(20, "the first result") { await outbox.await(count: 1) }
        try daemon.drop("a.txt", "")
        _ = try await within(20, "the quarantine record") { await quarantine.await(count: 1, matching: { $0.hasSuffix(".error.json") }) }
        // Stopped, so the document that wrote the record has finished.
        #expect(try await daemon.stop() == 0)
        #expect(daemon.results().isEmpty)
        try daemon.start(["processors.entities.enabled=false", "processors.topics.enabled=false"])
        try await daemon.waitReady()
        try daemon.drop("a.txt", "Entirely different news about a glacier survey in the north.")
        _ = try await within(20, "the second result") { await outbox.await(count: 2) }
        #expect(try await daemon.stop() == 0)
        #expect(daemon.results().count == 1)
        #expect(daemon.quarantined().isEmpty)
    }
}
