import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// Two daemons on one PostgreSQL and one watch folder: one leads and takes the documents, the
/// other stands by and takes over when the leader dies or is paused past its lease.
@Suite(
    "Cluster: two daemons on one database", .timeLimit(.minutes(TestTime.minutes(3))),
    .enabled(if: PostgresServer.available, "needs the PostgreSQL server binaries (apt-get install postgresql)")
)
struct ClusterTests {
    static let leaseMilliseconds = 1000

    static func settings(_ url: String, node: String) -> [String] {
        ["database.url=\(url)", "node.name=\(node)", "cluster.lease_ms=\(leaseMilliseconds)"]
    }

    static func document(_ number: Int) -> String {
        "Harbour report \(number)\n\nThe harbour authority of Eastport counted \(number) ships at anchor on Tuesday, "
            + "and its director, Mara Quill, said the new quay would open in the spring.\n"
    }

    /// Starts `a` (the leader) and `b` (standing by), both watching `a`'s folder.
    static func startPair(_ url: String) async throws -> (a: DaemonHarness, b: DaemonHarness) {
        try await Journald.ensureRunning()
        let a = try DaemonHarness()
        let b = try DaemonHarness()
        try a.start(settings(url, node: "a"))
        try await a.waitReady()
        _ = try await within(20, "a leads") { [notify = a.notify] in await notify.first { $0.contains("cluster leader (term 1)") } }
        try b.start(settings(url, node: "b"), arguments: ["--watch", a.watch])
        try await b.waitReady()
        do {
            _ = try await within(20, "b stands by") { [notify = b.notify] in await notify.first { $0.contains("standby: leader a (term 1)") } }
        } catch {
            Issue.record("b did not stand by; its STATUS= lines: \(b.notify.all.suffix(5)); its log: \(b.log.suffix(3000))")
            throw error
        }
        return (a, b)
    }

    @Test("the leader takes every document; killed with -9, the standby leads within two leases and takes the rest, each once")
    func failoverAfterKill() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let (a, b) = try await Self.startPair(database.url)
        let outboxA = try FolderEvents(folder: a.outbox)
        defer { outboxA.stop() }
        for number in 1...3 { try a.drop("harbour-\(number).txt", Self.document(number)) }
        _ = try await within(30, "a's three results") { await outboxA.await(count: 3) }
        // Counted once in the ledger: a document whose ledger row a kill prevents is taken again by the next leader.
        _ = try await within(30, "a's ledger") { [notify = a.notify] in await notify.first { $0.contains("processed 3,") } }
        #expect(b.results().isEmpty)

        let status = try await HTTPClient.get("/status", socket: b.controlSocket)
        let cluster = try #require(status.json?["cluster"] as? [String: Any])
        #expect(cluster["leader"] as? String == "a")
        #expect(cluster["leading"] as? Bool == false)
        #expect(status.json?["mode"] as? String == "standby")
        #expect((cluster["nodes"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["a", "b"])
        let text = try await DaemonHarness.command(["status", "--socket", b.controlSocket])
        #expect(text.out.contains("Cluster: 2 nodes (a, b), leader a, term 1 (this node b stands by)"), "\(text.out)")

        let mark = b.notify.all.count
        let killed = ContinuousClock.now
        a.signal(SIGKILL)
        _ = try await within(20, "b leads") { [notify = b.notify] in await notify.first(from: mark) { $0.contains("cluster leader (term 2)") } }
        let takeover = ContinuousClock.now - killed
        // The lease is 1 s and b renews every third of it: b may see a's lease end up to 1⅓ s after
        // the kill; the rest of the bound is for a loaded machine.
        #expect(takeover < .milliseconds(2 * Self.leaseMilliseconds) + .seconds(TestTime.seconds(3)), "took \(takeover)")

        let outboxB = try FolderEvents(folder: b.outbox)
        defer { outboxB.stop() }
        for number in 4...5 { try a.drop("harbour-\(number).txt", Self.document(number)) }
        _ = try await within(30, "b's two results") { await outboxB.await(count: 2) }
        #expect(try await b.stop() == 0)
        #expect(try await server.runSQL("SELECT status || ' ' || COUNT(*) FROM files GROUP BY status", database: database.name) == "processed 5\n")
        #expect(a.results().count == 3)
        #expect(b.results().count == 2, "\(b.results())")

        // The cluster's alerts, each with the node that raised it: the story's new topic, by a.
        let alerts = try await DaemonHarness.command(["alerts", "--cluster", "--json", "--set", "database.url=\(database.url)"])
        #expect(alerts.status == 0, "\(alerts.err)")
        let lines = alerts.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.map { "\($0["class"] ?? "") \($0["node"] ?? "")" } == ["new_topic a"], "\(alerts.out)")
    }

    @Test("a result answers on every node: the standby serves the leader's from the database, byte for byte; an unknown id is 404 on both")
    func resultsFromAnyNode() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let (a, b) = try await Self.startPair(database.url)
        try a.drop("harbour-1.txt", Self.document(1))
        // The ledger row is written after the result is stored with its index row.
        _ = try await within(30, "a's ledger") { [notify = a.notify] in await notify.first { $0.contains("processed 1,") } }
        let name = try #require(a.results().first)
        let id = String(name.dropLast(".json".count))
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: a.outbox + "/" + name)))
        #expect(b.results().isEmpty)

        for (node, socket) in [("a", a.controlSocket), ("b", b.controlSocket)] {
            let result = try await HTTPClient.get("/documents/\(id)", socket: socket)
            #expect(result.status == 200, "\(node): \(result.body)")
            #expect(result.body.utf8.elementsEqual(file), "\(node): \(result.body.prefix(300))")
            let page = try await HTTPClient.get("/view/\(id)", socket: socket)
            #expect(page.status == 200, "\(node)")
            #expect(page.body.contains("Harbour report 1"), "\(node): \(page.body.prefix(500))")
            let unknown = try await HTTPClient.get("/documents/no-such-result", socket: socket)
            #expect(unknown.status == 404, "\(node): \(unknown.body)")
            #expect(unknown.errorCode == "not_found", "\(node)")
            #expect(try await HTTPClient.get("/view/no-such-result", socket: socket).status == 404, "\(node)")
        }
        #expect(try await b.stop() == 0)
        #expect(try await a.stop() == 0)
    }

    @Test("a database that is not there yet is waited for, said once, and the daemon starts when it answers")
    func waitsForTheDatabase() async throws {
        try await Journald.ensureRunning()
        let server = try await PostgresServer.shared()
        let existing = try await server.makeDatabase()
        let later = (name: existing.name + "_later", url: existing.url + "_later")
        let daemon = try DaemonHarness()
        try daemon.start(Self.settings(later.url, node: "a"))
        // Two attempts refused (the database does not exist), then it appears.
        _ = try await within(30, "two waits") { [notify = daemon.notify] in
            let first = notify.all.firstIndex { $0.contains("STATUS=waiting for database") } ?? 0
            return await notify.first(from: first + 1) { $0.contains("STATUS=waiting for database") }
        }
        try await server.runSQL("CREATE DATABASE \(later.name)")
        try await daemon.waitReady()
        _ = try await within(20, "a leads") { [notify = daemon.notify] in await notify.first { $0.contains("cluster leader (term 1)") } }
        #expect(daemon.log.components(separatedBy: "waiting for database").count == 2, "\(daemon.log)")
        #expect(daemon.log.contains("answers: starting"))
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.drop("harbour-1.txt", Self.document(1))
        _ = try await within(30, "the result") { await outbox.await(count: 1) }
        #expect(try await daemon.stop() == 0)
    }

    @Test("a leader paused past its lease is replaced; resumed, its term is stale and it stands by")
    func pausedLeaderStepsDown() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let (a, b) = try await Self.startPair(database.url)
        let markA = a.notify.all.count
        let markB = b.notify.all.count
        a.signal(SIGSTOP)
        _ = try await within(20, "b leads") { [notify = b.notify] in await notify.first(from: markB) { $0.contains("cluster leader (term 2)") } }
        let outboxB = try FolderEvents(folder: b.outbox)
        defer { outboxB.stop() }
        try a.drop("harbour-9.txt", Self.document(9))
        _ = try await within(30, "b's result") { await outboxB.await(count: 1) }
        // The ledger row follows the result file (and its row and bytes in the database): counted below.
        _ = try await within(30, "b's ledger") { [notify = b.notify] in await notify.first { $0.contains("processed 1,") } }

        a.signal(SIGCONT)
        do {
            _ = try await within(20, "a stands by") { [notify = a.notify] in await notify.first(from: markA) { $0.contains("standby: leader b (term 2)") } }
        } catch {
            Issue.record("a did not stand by; its STATUS= lines: \(a.notify.all.suffix(8)); its log: \(a.log.suffix(3000))")
            throw error
        }
        #expect(try await server.runSQL("SELECT node || ' ' || term FROM leader", database: database.name) == "b 2\n")
        let files = try await server.runSQL("SELECT status || ' ' || COUNT(*) FROM files GROUP BY status", database: database.name)
        #expect(files == "processed 1\n")
        #expect(a.results().isEmpty)
        #expect(try await a.stop() == 0)
        #expect(try await b.stop() == 0)
    }

    @Test("seedwatch without seedwatch-cluster beside it says where the PostgreSQL client is, and exits 1")
    func missingClusterBinary() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seedwatch-alone-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A hard link, not a copy: a copy's write descriptor, inherited by a child another test forks
        // meanwhile, made the exec fail with ETXTBSY ("Text file busy").
        if link(DaemonHarness.binary, folder + "/seedwatch") != 0 {
            try FileManager.default.copyItem(atPath: DaemonHarness.binary, toPath: folder + "/seedwatch")
        }
        let (status, said) = try await OffPool.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: folder + "/seedwatch")
            process.arguments = ["check-config", "--set", "database.url=postgres://seedwatch@127.0.0.1:1/none"]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, said)
        }
        #expect(status == 1)
        #expect(said.contains(folder + "/seedwatch-cluster"), "\(said)")
    }

    @Test("migrate-state copies an install's SQLite state; the daemon on PostgreSQL then reprocesses nothing and remembers the story")
    func migrateState() async throws {
        try await Journald.ensureRunning()
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start()
        try await daemon.waitReady()
        for number in 1...3 { try daemon.drop("harbour-\(number).txt", Self.document(number)) }
        _ = try await within(30, "three results") { await outbox.await(count: 3) }
        #expect(try await daemon.stop() == 0)

        let folders = ["--set", "state=\(daemon.state)", "--set", "outbox=\(daemon.outbox)", "--set", "watch=\(daemon.watch)"]
        let copied = try await DaemonHarness.command(["migrate-state", "--to", database.url] + folders)
        #expect(copied.status == 0, "\(copied.err)")
        #expect(copied.err.contains("3 ledger rows") && copied.err.contains("1 alerts"), "\(copied.err)")
        #expect(try await server.runSQL("SELECT status || ' ' || COUNT(*) FROM files GROUP BY status", database: database.name) == "processed 3\n")
        #expect(try await server.runSQL("SELECT line::json->>'class' FROM alerts", database: database.name) == "new_topic\n")
        // The results too, byte for byte, so every node of the cluster answers for them.
        #expect(copied.err.contains("3 results"), "\(copied.err)")
        let stored = try await server.runSQL("SELECT id || ' ' || encode(body, 'hex') FROM results ORDER BY id", database: database.name)
        let files = try daemon.results().map { name in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: daemon.outbox + "/" + name))
            return "\(name.dropLast(".json".count)) " + bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        }
        #expect(stored == files.joined(), "\(stored.prefix(300))")
        let again = try await DaemonHarness.command(["migrate-state", "--to", database.url] + folders)
        #expect(again.status == 1)
        #expect(again.err.contains("already holds state"), "\(again.err)")

        // On PostgreSQL now: nothing is processed again, and the story goes on in the same topic.
        let before = Set(daemon.results())
        try daemon.start(Self.settings(database.url, node: "a"))
        try await daemon.waitReady()
        _ = try await within(20, "a leads") { [notify = daemon.notify] in await notify.first { $0.contains("cluster leader (term 1)") } }
        try daemon.drop("harbour-4.txt", Self.document(4))
        let all = try await within(30, "the fourth result") { await outbox.await(count: 4) }
        #expect(try await daemon.stop() == 0)
        #expect(Set(all).subtracting(before).count == 1)
        #expect(try await server.runSQL("SELECT status || ' ' || COUNT(*) FROM files GROUP BY status", database: database.name) == "processed 4\n")
        #expect(try await server.runSQL("SELECT line::json->>'class' FROM alerts", database: database.name) == "new_topic\n")
    }
}
