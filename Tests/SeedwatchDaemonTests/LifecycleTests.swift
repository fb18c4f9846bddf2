import Foundation
import Glibc
import SeedwatchTestSupport
import Testing
import SeedwatchCore

/// Shutdown, overflow and losing the watch folder, end to end.
@Suite("Lifecycle", .timeLimit(.minutes(TestTime.minutes(3))))
struct LifecycleTests {
    @Test("SIGTERM drains documents in flight, writes nothing partial, exits 0; a restart finishes the rest")
    func sigtermDrain() async throws {
        let daemon = try DaemonHarness()
        let problems = ProblemLog()
        let outbox = try FolderEvents(folder: daemon.outbox) { path in
            Self.checkResult(path, problems: problems)
        }
        defer { outbox.stop() }
        try daemon.start(["processors.entities.enabled=false", "processors.topics.enabled=false"])
        try await daemon.waitReady()
        let count = 300
        for index in 0..<count {
            try daemon.drop("doc-\(index).txt", "Document \(index). It has a couple of sentences. Nothing more to say.")
        }
        let status = try await daemon.stop()
        #expect(status == 0)
        #expect(daemon.notify.all.contains { $0.contains("STOPPING=1") })
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: daemon.outbox).filter { $0.hasPrefix(".tmp-") }
        #expect(leftovers.isEmpty)
        // Finished work: each result the first run left is whole, no processor cut short by the stop.
        let finished = try Self.results(in: daemon.outbox)
        for (file, data) in finished { #expect(Self.processorErrors(data).isEmpty, "\(file) written by the first run") }
        try daemon.start(["processors.entities.enabled=false", "processors.topics.enabled=false"])
        try await daemon.waitReady()
        let results = try await within(60, "all results after restart") { await outbox.await(count: count) }
        #expect(results.count == count)
        #expect(try await daemon.stop() == 0)
        #expect(problems.all.isEmpty, "\(problems.all.prefix(5))")
        // Finished work is not redone: every result of the first run is still there, byte for byte
        // (a redone document gets new timing fields). Abandoned work is redone: after the restart,
        // every document has exactly one result, and none records a processor cut short.
        let all = try Self.results(in: daemon.outbox)
        for (file, data) in finished { #expect(all[file] == data, "\(file) was rewritten after the restart") }
        let documents = all.keys.map { String($0.prefix { $0 != "." }) }
        #expect(Set(documents) == Set((0..<count).map { "doc-\($0)" }))
        #expect(documents.count == count)
        for (file, data) in all { #expect(Self.processorErrors(data).isEmpty, "\(file)") }
    }

    /// The result files of an outbox (alerts and temporary files aside), by file name.
    static func results(in outbox: String) throws -> [String: Data] {
        var results: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: outbox) where name.hasPrefix("doc-") && name.hasSuffix(".json") {
            results[name] = try Data(contentsOf: URL(fileURLWithPath: outbox + "/" + name))
        }
        return results
    }

    /// The processors a result records as failed (a document cancelled by the stop records `cancelled`),
    /// or `["unparsable"]` for a result that is not a JSON object.
    static func processorErrors(_ data: Data) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return ["unparsable"] }
        let errors = object["errors"] as? [String: Any] ?? [:]
        return errors.keys.sorted()
    }

    @Test("SIGTERM with a backlog takes nothing new from the queue: the queued files wait on disk for the next start")
    func sigtermBacklog() async throws {
        let daemon = try DaemonHarness(base: DaemonHarness.memoryBacked)
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        let count = 1000
        for index in 0..<count {
            try WorkQueueTests.write(daemon.watch, "backlog-\(index).txt", "Backlog document \(index). Queued before the start.")
        }
        let settings = WorkQueueTests.cheap + ["pipeline.max_in_flight=4", "pipeline.drain_timeout_ms=2000"]
        // A processor taking 0.1 s a document: the backlog needs 25 s or more, so a daemon that
        // drained it after SIGTERM cannot pass, however slowly this test gets to send the signal.
        let config = daemon.root + "/slow.json"
        let slow: [String: Any] = ["processors": ["external": ["slow": [
            "command": ["/bin/sh", "-c", "sleep 0.1; exec /bin/sh \"$0\"", ExternalProcessorTests.examples + "/wordcount.sh"],
        ]]]]
        try JSONSerialization.data(withJSONObject: slow).write(to: URL(fileURLWithPath: config))
        try daemon.start(settings, arguments: ["--config", config])
        try await daemon.waitReady()
        #expect(try await daemon.stop() == 0)
        let processed = daemon.results().count
        #expect(processed < count / 2, "the backlog was processed after SIGTERM")
        #expect(!daemon.log.contains("stopped: stopped:"))
        #expect(daemon.log.contains("INFO stopped: queue "))
        try daemon.start(settings)
        try await daemon.waitReady()
        let results = try await within(150, "all results after restart") { await outbox.await(count: count) }
        #expect(results.count == count)
        #expect(try await daemon.stop() == 0)
    }

    @Test("SIGTERM while every slot retries a result write (the outbox folder deleted): the retries end at the drain timeout and the daemon exits")
    func sigtermDuringRetry() async throws {
        let daemon = try DaemonHarness()
        let settings = WorkQueueTests.cheap + ["pipeline.max_in_flight=2"]
        try daemon.start(settings + ["pipeline.drain_timeout_ms=1000"])
        try await daemon.waitReady()
        try FileManager.default.removeItem(atPath: daemon.outbox)
        for index in 0..<4 {
            try daemon.drop("stuck-\(index).txt", "Document \(index), whose result cannot be written. The outbox is gone.")
        }
        // Both slots held by documents retrying their write, a third name waiting for a slot.
        let pid = daemon.pid
        let retrying = Locked(Set<String>())
        _ = try await Journald.entries(matching: "_PID=\(pid)") { entry in
            guard entry["MESSAGE"]?.hasPrefix("cannot write result") == true, let path = entry["DOCUMENT_PATH"] else { return false }
            return retrying.withLock { $0.insert(path); return $0.count == 2 }
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitExit(timeout: 60) == 0)
        #expect(daemon.log.contains("drain timeout: 2 documents in flight were cancelled"))
        // Cancelled, not finished: the next start processes them.
        try FileManager.default.createDirectory(atPath: daemon.outbox, withIntermediateDirectories: true)
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start(settings)
        try await daemon.waitReady()
        let results = try await within(60, "the results after restart") { await outbox.await(count: 4) }
        #expect(results.count == 4)
        #expect(try await daemon.stop() == 0)
    }

    @Test("an emptied state database beside an outbox of results is reported as an error at start")
    func emptiedState() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start(WorkQueueTests.cheap)
        try await daemon.waitReady()
        try daemon.drop("one.txt", "A document processed before the state is lost.")
        _ = try await within(60, "the result") { await outbox.await(count: 1) }
        #expect(try await daemon.stop() == 0)
        #expect(!daemon.log.contains("records no files"))
        let database = daemon.state + "/seedwatch.sqlite"
        #expect(truncate(database, 0) == 0)
        for suffix in ["-wal", "-shm"] { unlink(database + suffix) }
        try daemon.start(WorkQueueTests.cheap)
        try await daemon.waitReady()
        #expect(try await daemon.stop() == 0)
        let line = daemon.log.split(separator: "\n").first { $0.contains("records no files, but the outbox") }
        #expect(line?.contains("ERROR") == true, "\(daemon.log)")
        #expect(line?.contains("state.event=empty_with_results") == true)
    }

    @Test("a real inotify queue overflow is logged and recovered by a rescan; every result parses")
    func overflow() async throws {
        let limit = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
        // tmpfs keeps the thousands of fsyncs cheap; the overflow itself comes from the kernel.
        let daemon = try DaemonHarness(base: DaemonHarness.memoryBacked)
        let problems = ProblemLog()
        let outbox = try FolderEvents(folder: daemon.outbox) { path in
            Self.checkResult(path, problems: problems)
        }
        defer { outbox.stop() }
        try daemon.start(["processors.entities.enabled=false", "processors.topics.enabled=false", "processors.summary.enabled=false"])
        try await daemon.waitReady()
        // Stop the daemon so the kernel queue fills past its limit while it cannot read.
        daemon.signal(SIGSTOP)
        let count = limit + 500
        for index in 0..<count {
            let path = daemon.watch + "/burst-\(index).txt"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            _ = "Burst document \(index).".withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        daemon.signal(SIGCONT)
        let results = try await within(150, "\(count) results") { await outbox.await(count: count) }
        #expect(results.count == count)
        #expect(try await daemon.stop() == 0)
        #expect(daemon.log.contains("inotify queue overflowed"))
        #expect(problems.all.isEmpty, "\(problems.all.prefix(5))")
    }

    @Test("the watch folder deleted: an error in the log and a non-zero exit")
    func rootGone() async throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        try await daemon.waitReady()
        try FileManager.default.removeItem(atPath: daemon.watch)
        let status = try await daemon.waitExit()
        #expect(status != 0)
        #expect(daemon.log.contains("watch folder is gone"))
    }

    @Test("a missing watch folder at start: a clear error and a non-zero exit")
    func rootMissing() async throws {
        let daemon = try DaemonHarness()
        try FileManager.default.removeItem(atPath: daemon.watch)
        try daemon.start()
        let status = try await daemon.waitExit()
        #expect(status == 1)
        #expect(daemon.log.contains("does not exist"))
    }

    /// Every file that appears in the outbox must be complete JSON with the schema.
    static func checkResult(_ path: String, problems: ProblemLog) {
        guard path.hasSuffix(".json") else { return }
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["schema"] as? String == "seedwatch.result/1" else {
            problems.add(path)
            return
        }
    }
}

/// Paths of result files that did not parse, collected from the outbox watcher's thread.
final class ProblemLog: Sendable {
    private let items = Locked<[String]>([])
    func add(_ item: String) { items.withLock { $0.append(item) } }
    var all: [String] { items.withLock { $0 } }
}
