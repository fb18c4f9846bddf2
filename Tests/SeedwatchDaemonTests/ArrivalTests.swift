import Foundation
import Glibc
import SeedwatchCore
import SeedwatchTestSupport
import Testing

/// Files arriving in the watch folder, end to end through the real binary.
@Suite("Arrivals", .timeLimit(.minutes(TestTime.minutes(2))))
struct ArrivalTests {
    @Test("the five shared seed articles give five valid results; a restart writes nothing new",
          .enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func seedsThenRestart() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start()
        try await daemon.waitReady()
        let seeds = try FileManager.default.contentsOfDirectory(atPath: DaemonHarness.sharedSeeds).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(seeds.count == 5)
        for name in seeds {
            try FileManager.default.copyItem(atPath: DaemonHarness.sharedSeeds + "/" + name, toPath: daemon.watch + "/" + name)
        }
        let results = try await within(10, "five results") { await outbox.await(count: 5) }
        #expect(results.count == 5)
        for name in results {
            let result = try daemon.json(daemon.outbox + "/" + name)
            #expect(result["schema"] as? String == "seedwatch.result/1")
            #expect(result["status"] as? String == "processed")
            let source = try #require(result["source"] as? [String: Any])
            #expect((source["sha256"] as? String)?.count == 64)
            let stats = try #require((result["results"] as? [String: Any])?["stats"] as? [String: Any])
            #expect((stats["words"] as? Int ?? 0) > 100)
        }
        // FoundationEssentials only: full Foundation would bring libFoundation and ICU, ~11 MiB
        // of resident memory (docs/BENCHMARKS.md, fourth pass).
        let maps = try #require(PseudoFile.read("/proc/\(daemon.pid)/maps"))
        #expect(maps.contains("seedwatch"), "the maps of the daemon itself")
        for library in ["libFoundation.so", "lib_FoundationICU.so", "libFoundationInternationalization.so"] {
            #expect(!maps.contains(library), "the daemon has \(library) mapped")
        }
        #expect(try await daemon.stop() == 0)
        let before = try snapshot(daemon.outbox)

        // Restart: the catch-up scan finds everything in the ledger and writes nothing.
        try daemon.start()
        try await daemon.waitReady()
        _ = try await within(10, "idle status") { [notify = daemon.notify, mark = daemon.readyMark] in
            await notify.first(from: mark) { $0.contains("queue 0, in flight 0") }
        }
        #expect(try await daemon.stop() == 0)
        #expect(try snapshot(daemon.outbox) == before)
    }

    @Test("a file written in place counts on close; one renamed in counts on rename")
    func closeWriteAndRename() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start()
        try await daemon.waitReady()
        // close-after-write: opened, written in two parts, closed.
        let handle = try #require(FileHandle(forWritingAtPath: createEmpty(daemon.watch + "/written.txt")))
        try handle.write(contentsOf: Data("First part of the text. ".utf8))
        try handle.write(contentsOf: Data("Second part of the text.".utf8))
        try handle.close()
        try daemon.drop("renamed.md", "# A title\n\nSome *Markdown* text.")
        let results = try await within(10, "two results") { await outbox.await(count: 2) }
        #expect(results.contains { $0.hasPrefix("written.") })
        #expect(results.contains { $0.hasPrefix("renamed.") })
        let written = try daemon.json(daemon.outbox + "/" + (results.first { $0.hasPrefix("written.") } ?? ""))
        let stats = try #require((written["results"] as? [String: Any])?["stats"] as? [String: Any])
        #expect(stats["words"] as? Int == 10)  // the whole text, not the first part
        #expect(try await daemon.stop() == 0)
    }

    @Test("temporary names of copy tools never count as arrivals")
    func ignoredNames() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start()
        try await daemon.waitReady()
        for name in [".hidden", "a.part", "b.tmp", "c.swp", "d.txt~", "e.filepart", "f.crdownload"] {
            try Data("temporary content".utf8).write(to: URL(fileURLWithPath: daemon.watch + "/" + name))
        }
        try daemon.drop("z.txt", "The only real document.")
        _ = try await within(10, "z result") { await outbox.await(count: 1) }
        _ = try await within(10, "idle") { [notify = daemon.notify] in await notify.first { $0.contains("processed 1,") && $0.contains("queue 0, in flight 0") } }
        #expect(try await daemon.stop() == 0)
        #expect(daemon.results().count == 1)
        #expect(daemon.results().first?.hasPrefix("z.") == true)
        #expect(daemon.quarantined().isEmpty)
    }

    @Test("changed content is processed again; the same content under a new name is a duplicate")
    func changedAndDuplicate() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start()
        try await daemon.waitReady()
        try daemon.drop("story.txt", "Version one of the story.")
        let first = try await within(10, "first result") { await outbox.await(count: 1) }
        try daemon.drop("story.txt", "Version two of the story, longer than the first.")
        let both = try await within(10, "second result") { await outbox.await(count: 2) }
        let second = try #require(both.first { !first.contains($0) })
        #expect(second.hasPrefix("story."))
        try daemon.drop("copy.txt", "Version two of the story, longer than the first.")
        let all = try await within(10, "duplicate record") { await outbox.await(count: 3) }
        let duplicateName = try #require(all.first { $0.hasPrefix("copy.") })
        let duplicate = try daemon.json(daemon.outbox + "/" + duplicateName)
        #expect(duplicate["status"] as? String == "duplicate")
        #expect(duplicate["duplicate_of"] as? String == String(second.dropLast(5)))
        #expect(try await daemon.stop() == 0)
        // One result per source file: the result of version one was replaced.
        #expect(daemon.results().filter { $0.hasPrefix("story.") } == [second])
    }

    @Test("files that arrived while the daemon was down are found by the catch-up scan")
    func catchUp() async throws {
        let daemon = try DaemonHarness()
        for index in 0..<20 {
            try Data("Document number \(index) arrived early.".utf8).write(to: URL(fileURLWithPath: daemon.watch + "/early-\(index).txt"))
        }
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start()
        try await daemon.waitReady()
        let results = try await within(20, "20 results") { await outbox.await(count: 20) }
        #expect(results.count == 20)
        #expect(try await daemon.stop() == 0)
    }

    private func snapshot(_ folder: String) throws -> [String: Data] {
        var contents: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            contents[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return contents
    }

    private func createEmpty(_ path: String) -> String {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return path
    }
}
