import Foundation
import SeedwatchTestSupport
import Testing

/// Topic alerts end to end: journal, `alerts.jsonl`, the outbox result, `seedwatch alerts`.
@Suite("Alerts", .timeLimit(.minutes(TestTime.minutes(2))))
struct AlertTests {
    @Test("the five seed articles of one story raise one new_topic; an unrelated article raises another",
          .enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func oneStoryThenAnother() async throws {
        try await Journald.ensureRunning()
        let started = Date().addingTimeInterval(-1)
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start(["log.target=journal"])
        try await daemon.waitReady()
        var seeds = try FileManager.default.contentsOfDirectory(atPath: DaemonHarness.sharedSeeds).filter { $0.hasSuffix(".txt") }
        seeds.shuffle()
        for name in seeds {
            try FileManager.default.copyItem(atPath: DaemonHarness.sharedSeeds + "/" + name, toPath: daemon.watch + "/" + name)
        }
        _ = try await within(20, "five results") { await outbox.await(count: 5) }
        let unrelated = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seeds/2026-11-03-glacier-survey.html")
        try FileManager.default.copyItem(atPath: unrelated.path, toPath: daemon.watch + "/glacier.html")
        let results = try await within(20, "six results") { await outbox.await(count: 6) }
        #expect(try await daemon.stop() == 0)

        let lines = try String(contentsOfFile: daemon.outbox + "/alerts.jsonl", encoding: .utf8).split(separator: "\n")
        let alerts = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(alerts.count == 2, "alerts: \(lines)")
        #expect(alerts.allSatisfy { $0["class"] as? String == "new_topic" })
        #expect(alerts.last?["document_path"] as? String == daemon.watch + "/glacier.html")
        #expect(alerts.allSatisfy { ($0["message_id"] as? String)?.count == 32 })

        // The document's own result carries its topic and alert.
        let glacierResult = try #require(results.first { $0.hasPrefix("glacier.") })
        let topics = try #require((try daemon.json(daemon.outbox + "/" + glacierResult)["results"] as? [String: Any])?["topics"] as? [String: Any])
        #expect((topics["alerts"] as? [Any])?.count == 1)
        #expect(topics["topic"] is String)

        // The journal has them with their fields, read natively by `seedwatch alerts`.
        let since = "--since=\(Int(started.timeIntervalSince1970))"
        let listed = try await DaemonHarness.command(["alerts", "--json", since.replacingOccurrences(of: "=", with: "=@")])
        #expect(listed.status == 0, "\(listed.err)")
        let ours = listed.out.split(separator: "\n").filter { $0.contains(daemon.watch) }
        #expect(ours.count == 2)
        let first = try #require(ours.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(first["class"] as? String == "new_topic")
        #expect((first["topic_id"] as? String)?.isEmpty == false)
        #expect((first["topic_label"] as? String)?.isEmpty == false)
        #expect(first["message_id"] as? String == "9bcbd3d5bc234694848bff3038977e5e")
        let text = try await DaemonHarness.command(["alerts", since.replacingOccurrences(of: "=", with: "=@")])
        #expect(text.out.contains("new_topic"))
    }
}
