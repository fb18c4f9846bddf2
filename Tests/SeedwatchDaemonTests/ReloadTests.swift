import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// SIGHUP reloads the configuration, end to end: the real binary, a real configuration file and
/// a real NOTIFY_SOCKET.
@Suite("Reload", .timeLimit(.minutes(TestTime.minutes(2))))
struct ReloadTests {
    /// Nine sentences, so summaries of one, two and three sentences are told apart; the tag makes
    /// each copy new content (the same content twice would be a duplicate, not processed).
    static func article(_ tag: String) -> String {
        articleBody + " This report is filed as \(tag)."
    }

    static let articleBody = """
        The harbour authority of Westport approved the new tram line on Monday. The line will link the \
        ferry terminal with the central station. Construction starts in the spring of next year. \
        Officials expect ten thousand riders a day once the line opens. The mayor, Anna Berg, welcomed \
        the decision at a press conference. Local businesses hope the tram brings more visitors to the \
        old town. Critics say the budget of the project is too optimistic. The council will review the \
        costs again in the autumn.
        """

    /// Processors that do not matter here are off (through `--set`, which the file does not touch).
    static let quick = ["processors.entities.enabled=false", "processors.topics.enabled=false"]

    @Test("SIGHUP with a changed valid configuration: RELOADING=1, READY=1, the queue kept, the new setting used")
    func validReload() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        let config = daemon.root + "/seedwatch.json"
        try Self.write(config, #"{"processors": {"summary": {"sentences": 1}}, "ingest": {"max_pending": 100000}}"#)
        try daemon.start(Self.quick, arguments: ["--config", config])
        try await daemon.waitReady()

        try daemon.drop("before.txt", Self.article("before"))
        let first = try await within(20, "result before the reload") { await outbox.await(count: 1) { $0.hasPrefix("before.") } }
        #expect(try summarySentences(daemon, first) == 1)

        // A burst in the queue when the signal comes: none of it may be lost.
        for index in 0..<40 { try daemon.drop("burst-\(index).txt", "Burst document \(index). It has two sentences.") }
        try Self.write(config, #"{"processors": {"summary": {"sentences": 3}}, "ingest": {"max_pending": 5000}}"#)
        let mark = daemon.notify.all.count
        daemon.signal(SIGHUP)
        try await Self.awaitReload(daemon, from: mark)

        try daemon.drop("after.txt", Self.article("after"))
        let after = try await within(20, "result after the reload") { await outbox.await(count: 1) { $0.hasPrefix("after.") } }
        #expect(try summarySentences(daemon, after) == 3)
        let burst = try await within(30, "the 40 queued documents") { await outbox.await(count: 40) { $0.hasPrefix("burst-") } }
        #expect(burst.count == 40)

        #expect(kill(daemon.pid, 0) == 0)
        #expect(try await daemon.stop() == 0)
        let log = daemon.log
        #expect(log.contains("configuration reloaded: processors.summary.sentences now in effect"))
        // A key that needs a restart is named in a warning and keeps its running value.
        let warning = log.split(separator: "\n").first { $0.contains("WARNING") && $0.contains("'ingest.max_pending'") }
        #expect(warning?.contains("needs a restart") == true, "\(log)")
        #expect(warning?.contains("'100000'") == true, "\(String(describing: warning))")
    }

    @Test("SIGHUP with an invalid configuration: an error naming the key, READY=1, the old setting kept")
    func invalidReload() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        let config = daemon.root + "/seedwatch.json"
        try Self.write(config, #"{"processors": {"summary": {"sentences": 2}}}"#)
        try daemon.start(Self.quick, arguments: ["--config", config])
        try await daemon.waitReady()

        // 0 is below the key's minimum of 1; the other change in the same file must not apply either.
        try Self.write(config, #"{"processors": {"summary": {"sentences": 0}, "stats": {"words_per_minute": 100}}}"#)
        let mark = daemon.notify.all.count
        daemon.signal(SIGHUP)
        try await Self.awaitReload(daemon, from: mark)

        try daemon.drop("after.txt", Self.article("after"))
        let after = try await within(20, "result after the refused reload") { await outbox.await(count: 1) { $0.hasPrefix("after.") } }
        #expect(try summarySentences(daemon, after) == 2)
        let afterName = try #require(after.first)
        let stats = try #require(try daemon.json(daemon.outbox + "/" + afterName)["results"] as? [String: Any])["stats"] as? [String: Any]
        #expect(try readingSpeedUnchanged(stats))

        #expect(kill(daemon.pid, 0) == 0)
        let log = daemon.log
        let error = log.split(separator: "\n").first { $0.contains("ERROR") && $0.contains("reload refused") }
        #expect(error?.contains("processors.summary.sentences") == true, "\(log)")
        #expect(!log.contains("configuration reloaded"))

        // A later valid reload still works.
        try Self.write(config, #"{"processors": {"summary": {"sentences": 1}}}"#)
        let again = daemon.notify.all.count
        daemon.signal(SIGHUP)
        try await Self.awaitReload(daemon, from: again)
        try daemon.drop("later.txt", Self.article("later"))
        let later = try await within(20, "result after the second reload") { await outbox.await(count: 1) { $0.hasPrefix("later.") } }
        #expect(try summarySentences(daemon, later) == 1)
        #expect(try await daemon.stop() == 0)
    }

    /// RELOADING=1 (with MONOTONIC_USEC) and then READY=1, both sent after `mark`.
    static func awaitReload(_ daemon: DaemonHarness, from mark: Int) async throws {
        _ = try await within(10, "RELOADING=1") { [notify = daemon.notify] in
            await notify.first(from: mark) { $0.contains("RELOADING=1") }
        }
        _ = try await within(10, "READY=1 after RELOADING=1") { [notify = daemon.notify] in
            await notify.first(from: mark) { $0.contains("READY=1") }
        }
        let messages = Array(daemon.notify.all.dropFirst(mark))
        let reloading = try #require(messages.firstIndex { $0.contains("RELOADING=1") })
        let ready = try #require(messages.firstIndex { $0.contains("READY=1") })
        #expect(reloading < ready)
        let usec = messages[reloading].split(separator: "\n").first { $0.hasPrefix("MONOTONIC_USEC=") }
        #expect(usec.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) }.map { $0 > 0 } == true)
    }

    static func write(_ path: String, _ text: String) throws {
        // Atomically, as an editor or a configuration manager would.
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private func summarySentences(_ daemon: DaemonHarness, _ names: [String]) throws -> Int {
        let name = try #require(names.first)
        let results = try #require(try daemon.json(daemon.outbox + "/" + name)["results"] as? [String: Any])
        let summary = try #require(results["summary"] as? [String: Any], "\(name): \(results)")
        return (summary["sentences"] as? [Any])?.count ?? -1
    }

    /// At the default 230 words a minute the article's ~90 words take about 23 s; at 100, about 54 s.
    private func readingSpeedUnchanged(_ stats: [String: Any]?) throws -> Bool {
        let words = try #require(stats?["words"] as? Int)
        let seconds = try #require((stats?["reading_time_seconds"] as? NSNumber)?.doubleValue)
        return abs(seconds - Double(words) * 60 / 230) < 2
    }
}
