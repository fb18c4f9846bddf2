import Foundation
import SeedwatchTestSupport
import Testing

/// The daemon with `database.url` on a real PostgreSQL: ledger, topic state and alerts live in
/// the database, so a restart neither processes a file again nor forgets a story.
@Suite(
    "Daemon state in PostgreSQL", .timeLimit(.minutes(TestTime.minutes(3))),
    .enabled(if: PostgresServer.available, "needs the PostgreSQL server binaries (apt-get install postgresql)")
)
struct PostgresStateTests {
    static func topic(_ daemon: DaemonHarness, _ result: String) throws -> String? {
        ((try daemon.json(daemon.outbox + "/" + result)["results"] as? [String: Any])?["topics"] as? [String: Any])?["topic"] as? String
    }

    @Test("a restart on PostgreSQL neither reprocesses nor forgets the ledger, the topics or the alerts",
          .enabled(if: SharedData.seedsAvailable, "needs ../shared/seeds"))
    func restartKeepsState() async throws {
        try await Journald.ensureRunning()
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        let seeds = try FileManager.default.contentsOfDirectory(atPath: DaemonHarness.sharedSeeds).filter { $0.hasSuffix(".txt") }.sorted()
        try #require(seeds.count == 5)

        try daemon.start(["database.url=\(database.url)", "node.name=test-node"])
        try await daemon.waitReady()
        for name in seeds.prefix(3) {
            try FileManager.default.copyItem(atPath: DaemonHarness.sharedSeeds + "/" + name, toPath: daemon.watch + "/" + name)
        }
        let first = try await within(30, "three results") { await outbox.await(count: 3) }
        #expect(try await daemon.stop() == 0)
        let story = try Self.topic(daemon, try #require(first.first))
        #expect(story != nil)

        // The state is in the database, none in the state folder.
        #expect(!FileManager.default.fileExists(atPath: daemon.state + "/seedwatch.sqlite"))
        #expect(try await server.runSQL("SELECT status || ' ' || COUNT(*) FROM files GROUP BY status", database: database.name) == "processed 3\n")
        #expect(Int(try await server.runSQL("SELECT COUNT(*) FROM processor_state WHERE namespace = 'topics'", database: database.name)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 0)
        #expect(try await server.runSQL("SELECT line::json->>'class' FROM alerts", database: database.name) == "new_topic\n")
        let before = try Self.snapshot(daemon.outbox)

        // Restart: the catch-up scan finds every file in the ledger and writes nothing.
        try daemon.start(["database.url=\(database.url)", "node.name=test-node"])
        try await daemon.waitReady()
        _ = try await within(20, "idle status") { [notify = daemon.notify, mark = daemon.readyMark] in
            await notify.first(from: mark) { $0.contains("queue 0, in flight 0") }
        }
        #expect(try Self.snapshot(daemon.outbox) == before)

        // The rest of the story joins the topic the first three made before the restart, and
        // raises no second new_topic.
        for name in seeds.suffix(2) {
            try FileManager.default.copyItem(atPath: DaemonHarness.sharedSeeds + "/" + name, toPath: daemon.watch + "/" + name)
        }
        let all = try await within(30, "five results") { await outbox.await(count: 5) }
        #expect(try await daemon.stop() == 0)
        for result in all where !first.contains(result) {
            #expect(try Self.topic(daemon, result) == story, "\(result)")
        }
        #expect(try await server.runSQL("SELECT status || ' ' || COUNT(*) FROM files GROUP BY status", database: database.name) == "processed 5\n")
        #expect(try await server.runSQL("SELECT line::json->>'class' FROM alerts", database: database.name) == "new_topic\n")
    }

    @Test("check-config connects and reports the server's and the schema's versions; a password in the URL is refused")
    func checkConfig() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let fresh = try await DaemonHarness.command(["check-config", "--set", "database.url=\(database.url)"])
        #expect(fresh.status == 0, "\(fresh.err)")
        #expect(fresh.err.contains("PostgreSQL 15") || fresh.err.contains("PostgreSQL 1"), "\(fresh.err)")
        #expect(fresh.err.contains("schema version none yet"), "\(fresh.err)")

        let withPassword = database.url.replacingOccurrences(of: "seedwatch@", with: "seedwatch:secret@")
        let refused = try await DaemonHarness.command(["check-config", "--set", "database.url=\(withPassword)"])
        #expect(refused.status == 2)
        #expect(refused.err.contains("database.url") && !refused.err.contains("secret"), "\(refused.err)")

        let unreachable = try await DaemonHarness.command(["check-config", "--set", "database.url=postgres://seedwatch@127.0.0.1:\(try PostgresServer.freePort())/none"])
        #expect(unreachable.status != 0)
        #expect(unreachable.err.contains("cannot connect"), "\(unreachable.err)")
    }

    static func snapshot(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return files
    }
}
