import Foundation
import Glibc
import SeedwatchCore
import SeedwatchTestSupport
import Testing

/// `ingest.after`: what happens to an input once its result is durable, end to end with the real
/// binary, real folders and real inotify.
@Suite("input disposition", .timeLimit(.minutes(TestTime.minutes(2))))
struct DispositionTests {
    static let quick = ["processors.entities.enabled=false", "processors.topics.enabled=false"]

    static func samples() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: DaemonHarness.samples) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: DaemonHarness.samples + "/" + name))
        }
        return files
    }

    static func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    static func status(_ daemon: DaemonHarness) async throws -> [String: Any] {
        let response = try await HTTPClient.get("/status", socket: daemon.controlSocket)
        return try #require(response.json)
    }

    /// Waits for `count` `INGEST_DISPOSITION` entries of this daemon in the journal (logged
    /// after the move or delete, and after it was counted).
    static func awaitDispositions(_ daemon: DaemonHarness, _ count: Int) async throws -> [String] {
        let seen = Locked<[String]>([])
        _ = try await Journald.entries(matching: "_PID=\(daemon.pid)") { entry in
            guard let kind = entry["INGEST_DISPOSITION"] else { return false }
            return seen.withLock { $0.append(kind); return $0.count >= count }
        }
        return seen.withLock { $0 }
    }

    @Test("keep, move and delete on the repository's samples", arguments: ["keep", "move", "delete"])
    func samples(mode: String) async throws {
        try await Journald.ensureRunning()
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        let samples = try Self.samples()
        for (name, bytes) in samples { try bytes.write(to: URL(fileURLWithPath: daemon.watch + "/" + name)) }
        let done = daemon.root + "/done"
        try daemon.start(Self.quick + ["ingest.after=\(mode)", "ingest.done_folder=\(done)", "log.level=debug"])
        try await daemon.waitReady()
        _ = try await within(30, "three results") { await outbox.await(count: samples.count) }
        if mode != "keep" {
            let kinds = try await Self.awaitDispositions(daemon, samples.count)
            #expect(kinds == Array(repeating: mode == "move" ? "moved" : "deleted", count: samples.count))
        }
        let counted = try #require(try await Self.status(daemon)["dispositions"] as? [String: Int])
        #expect(counted["moved"] == (mode == "move" ? samples.count : 0))
        #expect(counted["deleted"] == (mode == "delete" ? samples.count : 0))
        #expect(counted["quarantined"] == 0)
        #expect(try await daemon.stop() == 0)

        #expect(daemon.results().count == samples.count)
        switch mode {
        case "keep":
            #expect(Self.names(daemon.watch) == samples.keys.sorted())
            #expect(!FileManager.default.fileExists(atPath: done))
        case "move":
            #expect(Self.names(daemon.watch).isEmpty)
            #expect(Self.names(done) == samples.keys.sorted())
            for (name, bytes) in samples { #expect(try Data(contentsOf: URL(fileURLWithPath: done + "/" + name)) == bytes) }
        default:
            #expect(Self.names(daemon.watch).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: done))
        }
    }

    @Test("a quarantined input is never deleted: with move and delete it goes beside its record, which says where; POST /reprocess of it works",
          arguments: ["keep", "move", "delete"])
    func quarantined(mode: String) async throws {
        let daemon = try DaemonHarness()
        let files = daemon.quarantine + "/files"
        let moved = try FolderEvents(folder: files)
        let outbox = try FolderEvents(folder: daemon.outbox)
        let records = try FolderEvents(folder: daemon.quarantine)
        defer {
            moved.stop()
            outbox.stop()
            records.stop()
        }
        let done = daemon.root + "/done"
        try daemon.start(Self.quick + ["ingest.after=\(mode)", "ingest.done_folder=\(done)"])
        try await daemon.waitReady()
        try Data().write(to: URL(fileURLWithPath: daemon.watch + "/empty.txt"))
        let record = daemon.quarantine + "/empty.txt.error.json"
        if mode == "keep" {
            _ = try await within(10, "the quarantine record") { await records.await(count: 1) { $0 == "empty.txt.error.json" } }
            #expect(try daemon.json(record)["moved_to"] == nil)
            #expect(FileManager.default.fileExists(atPath: daemon.watch + "/empty.txt"))
            #expect(try await daemon.stop() == 0)
            return
        }
        _ = try await within(10, "the input moved beside its record") { await moved.await(count: 1) { $0 == "empty.txt" } }
        #expect(try daemon.json(record)["moved_to"] as? String == files + "/empty.txt")
        #expect(try daemon.json(record)["code"] as? String == "empty")
        #expect(!FileManager.default.fileExists(atPath: daemon.watch + "/empty.txt"))

        // Fixed where it lies, then reprocessed: moved back, processed, then moved or deleted as done.
        try Data("Now it has text. Two sentences.".utf8).write(to: URL(fileURLWithPath: files + "/empty.txt"))
        let response = try await HTTPClient.post("/reprocess", #"{"path": "empty.txt"}"#, socket: daemon.controlSocket)
        #expect(response.status == 202, "\(response.body)")
        _ = try await within(20, "the result after reprocessing") { await outbox.await(count: 1) { $0.hasPrefix("empty.txt.") } }
        #expect(try await daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: record))
        #expect(!FileManager.default.fileExists(atPath: daemon.watch + "/empty.txt"))
        #expect(FileManager.default.fileExists(atPath: done + "/empty.txt") == (mode == "move"))
    }

    @Test("a taken name in done/ gets -1, -2 … before the extension; nothing there is replaced")
    func collision() async throws {
        let daemon = try DaemonHarness()
        let done = daemon.root + "/done"
        let arrivals = try FolderEvents(folder: done)
        defer { arrivals.stop() }
        try Data("first".utf8).write(to: URL(fileURLWithPath: done + "/report.txt"))
        try Data("second".utf8).write(to: URL(fileURLWithPath: done + "/report-1.txt"))
        try daemon.start(Self.quick + ["ingest.after=move", "ingest.done_folder=\(done)"])
        try await daemon.waitReady()
        try daemon.drop("report.txt", "The third report. It is new.")
        _ = try await within(20, "report-2.txt in done") { await arrivals.await(count: 1) { $0 == "report-2.txt" } }
        #expect(try await daemon.stop() == 0)
        #expect(try String(contentsOfFile: done + "/report.txt", encoding: .utf8) == "first")
        #expect(try String(contentsOfFile: done + "/report-1.txt", encoding: .utf8) == "second")
        #expect(try String(contentsOfFile: done + "/report-2.txt", encoding: .utf8) == "The third report. It is new.")
        #expect(Self.names(daemon.watch).isEmpty)
    }

    @Test("a restart finishes the disposition of a file the ledger already has, without processing it again")
    func restartFinishes() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        let samples = try Self.samples()
        for (name, bytes) in samples { try bytes.write(to: URL(fileURLWithPath: daemon.watch + "/" + name)) }
        // Processed and recorded, still in the watch folder: as a kill -9 between the ledger and
        // the move leaves it (and as switching from keep to move does).
        try daemon.start(Self.quick)
        try await daemon.waitReady()
        let results = try await within(30, "three results") { await outbox.await(count: samples.count) }
        #expect(try await daemon.stop() == 0)
        var before: [String: Data] = [:]
        for name in results { before[name] = try Data(contentsOf: URL(fileURLWithPath: daemon.outbox + "/" + name)) }

        let done = daemon.root + "/done"
        let arrivals = try FolderEvents(folder: done)
        defer { arrivals.stop() }
        try daemon.start(Self.quick + ["ingest.after=move", "ingest.done_folder=\(done)"])
        try await daemon.waitReady()
        _ = try await within(20, "the three inputs in done") { await arrivals.await(count: samples.count) { _ in true } }
        #expect(try await daemon.stop() == 0)
        #expect(Self.names(daemon.watch).isEmpty)
        #expect(Self.names(done) == samples.keys.sorted())
        // Not processed again: the results are byte for byte the first run's (completed_at too).
        for (name, bytes) in before { #expect(try Data(contentsOf: URL(fileURLWithPath: daemon.outbox + "/" + name)) == bytes) }
        #expect(daemon.results().count == samples.count)
    }

    @Test("SIGHUP applies ingest.after and ingest.done_folder")
    func reload() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        let done = daemon.root + "/done"
        let arrivals = try FolderEvents(folder: done)
        defer {
            outbox.stop()
            arrivals.stop()
        }
        let config = daemon.root + "/seedwatch.json"
        try ReloadTests.write(config, #"{"ingest": {"after": "keep"}}"#)
        try daemon.start(Self.quick, arguments: ["--config", config])
        try await daemon.waitReady()
        try daemon.drop("kept.txt", "Kept where it is. One more sentence.")
        _ = try await within(20, "kept.txt result") { await outbox.await(count: 1) { $0.hasPrefix("kept.txt.") } }
        try ReloadTests.write(config, #"{"ingest": {"after": "move", "done_folder": "\#(done)"}}"#)
        let mark = daemon.notify.all.count
        daemon.signal(SIGHUP)
        try await ReloadTests.awaitReload(daemon, from: mark)
        try daemon.drop("moved.txt", "Moved once done. One more sentence.")
        _ = try await within(20, "moved.txt in done") { await arrivals.await(count: 1) { $0 == "moved.txt" } }
        #expect(try await daemon.stop() == 0)
        #expect(Self.names(daemon.watch) == ["kept.txt"])
        #expect(daemon.log.contains("ingest.after"))
    }
}

/// The done folder on another file system (a tmpfs mounted for the test).
@Suite("input disposition across file systems", .timeLimit(.minutes(TestTime.minutes(2))),
       .enabled(if: TmpfsMount.possible, "needs root to mount a tmpfs"))
struct DispositionAcrossTests {
    @Test("move to a done folder on a tmpfs: copied, fsynced, renamed, then the source unlinked")
    func tmpfsDone() async throws {
        let daemon = try DaemonHarness()
        let mount = try TmpfsMount(at: daemon.root + "/done")
        defer { mount.unmount() }
        let arrivals = try FolderEvents(folder: mount.path)
        defer { arrivals.stop() }
        let samples = try DispositionTests.samples()
        try daemon.start(DispositionTests.quick + ["ingest.after=move", "ingest.done_folder=\(mount.path)"])
        try await daemon.waitReady()
        for (name, bytes) in samples { try daemon.drop(name, String(decoding: bytes, as: UTF8.self)) }
        _ = try await within(30, "the samples in done") { await arrivals.await(count: samples.count) { !$0.hasPrefix(".") } }
        #expect(try await daemon.stop() == 0)
        #expect(DispositionTests.names(daemon.watch).isEmpty)
        for (name, bytes) in samples { #expect(try Data(contentsOf: URL(fileURLWithPath: mount.path + "/" + name)) == bytes) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path).filter { $0.hasPrefix(".tmp-") }.isEmpty)
        #expect(daemon.results().count == samples.count)
    }
}
