import Foundation
import Glibc
import SeedwatchTestSupport
import Testing
import SeedwatchCore

/// The work queue end to end: names told apart by bytes, and a queue smaller than the backlog.
@Suite("Work queue", .timeLimit(.minutes(TestTime.minutes(5))))
struct WorkQueueTests {
    static let cheap = ["processors.entities.enabled=false", "processors.topics.enabled=false", "processors.summary.enabled=false"]
    static let composed = "caf\u{E9}"  // NFC: caf\xc3\xa9
    static let decomposed = "cafe\u{301}"  // NFD: cafe\xcc\x81

    /// Writes `name` with its exact bytes (Foundation's file APIs may normalise a path).
    static func write(_ folder: String, _ name: String, _ text: String) throws {
        let path = folder + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        let written = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        guard written == text.utf8.count else { throw POSIXError(.EIO) }
    }

    /// The names in the log's "processed" lines.
    static func processed(_ log: String) -> [String] {
        log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: " INFO processed ") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != " " })
        }
    }

    @Test("two names that differ only in Unicode normalisation: two results with different ids, at start and arriving together")
    func normalisationForms() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try Self.write(daemon.watch, Self.composed + ".txt", "The first café, written in NFC. It has one sentence more.")
        try Self.write(daemon.watch, Self.decomposed + ".txt", "The second café, written in NFD. Another text entirely.")
        try daemon.start(Self.cheap)
        try await daemon.waitReady()
        #expect(daemon.log.contains("2 files queued by the catch-up scan"))
        _ = try await within(60, "both results at start") { await outbox.await(count: 2) }
        // Arriving together while running, by rename as `mv` delivers them.
        try Self.write(daemon.watch, ".tmp-a", "A live café in NFC. Written while the daemon runs.")
        try Self.write(daemon.watch, ".tmp-b", "A live café in NFD. Also written while the daemon runs.")
        #expect(rename(daemon.watch + "/.tmp-a", daemon.watch + "/live-" + Self.composed + ".txt") == 0)
        #expect(rename(daemon.watch + "/.tmp-b", daemon.watch + "/live-" + Self.decomposed + ".txt") == 0)
        let results = try await within(60, "four results") { await outbox.await(count: 4) }
        #expect(results.count == 4)
        // The ids differ as Swift strings too, not only in bytes.
        let ids = results.map { String($0.dropLast(".json".count)) }
        #expect(Set(ids).count == 4, "\(ids)")
        #expect(try await daemon.stop() == 0)
        #expect(Self.processed(daemon.log).count == 4, "\(daemon.log)")

        // Each name has its own ledger row: after a restart both are unchanged, nothing is redone.
        try daemon.start(Self.cheap)
        try await daemon.waitReady()
        try daemon.drop("marker.txt", "A marker document written after the restart.")
        _ = try await within(60, "the marker's result") { await outbox.await(count: 5) }
        #expect(try await daemon.stop() == 0)
        // The log holds this start only.
        #expect(Self.processed(daemon.log) == ["marker.txt"], "\(daemon.log)")
    }

    @Test("ingest.max_pending=10 with 1,000 files, at start and arriving live: every file processed, one queue_full warning per episode")
    func smallQueue() async throws {
        let daemon = try DaemonHarness(base: DaemonHarness.memoryBacked)
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        let count = 1000
        for index in 0..<count {
            try Self.write(daemon.watch, "early-\(index).txt", "Early document \(index). Written before the start.")
        }
        try daemon.start(Self.cheap + ["ingest.max_pending=10"])
        try await daemon.waitReady()
        let early = try await within(150, "\(count) results of the catch-up scan") { await outbox.await(count: count) }
        #expect(early.count == count)
        let episodes = { (event: String) in daemon.log.split(separator: "\n").filter { $0.contains("ingest.event=\(event)") } }
        #expect(episodes("queue_full").count == 1, "\(episodes("queue_full"))")
        #expect(episodes("queue_full").first?.contains("ingest.dropped=") == true)

        for index in 0..<count {
            try Self.write(daemon.watch, "live-\(index).txt", "Live document \(index). Written while the daemon runs.")
        }
        let all = try await within(150, "\(2 * count) results") { await outbox.await(count: 2 * count) }
        #expect(all.count == 2 * count)
        let pid = daemon.pid
        let warned = try await Journald.entries(matching: "INGEST_EVENT=queue_full") { $0["_PID"] == "\(pid)" }
        let warning = try #require(warned.last { $0["_PID"] == "\(pid)" })
        #expect(warning["PRIORITY"] == "4")
        #expect(Int(warning["INGEST_DROPPED"] ?? "") ?? 0 > 0)
        #expect(try await daemon.stop() == 0)
        // Each episode warns once, when the queue first has room again, and ends once caught
        // up (the last one may have been cut short by the stop).
        let warnings = episodes("queue_full").count
        #expect(warnings >= 2)
        #expect([0, 1].contains(warnings - episodes("queue_caught_up").count))
        #expect(daemon.quarantined().isEmpty)
    }
}
