import Foundation
import SeedwatchTestSupport
import Testing

/// A daemon whose connections to PostgreSQL are cut again and again while it works (a
/// `FaultProxy` between it and the server): nothing is lost or done twice, nothing is
/// quarantined, it keeps running and says once per loss that the database went away.
@Suite(
    "Cluster: connections to the database cut mid-transaction", .timeLimit(.minutes(TestTime.minutes(3))),
    .enabled(if: PostgresServer.available, "needs the PostgreSQL server binaries (apt-get install postgresql)")
)
struct ConnectionCutTests {
    /// 24 stories, and 6 copies of the first six under other names (duplicates), in the order dropped.
    static let inputs: [(name: String, text: String)] = {
        var inputs = (1...24).map { ("story-\($0).txt", ClusterTests.document($0)) }
        inputs.insert(contentsOf: (1...3).map { ("copy-\($0).txt", ClusterTests.document($0)) }, at: 10)
        inputs.insert(contentsOf: (4...6).map { ("copy-\($0).txt", ClusterTests.document($0)) }, at: 23)
        return inputs
    }()

    @Test("connections cut while documents are processed: each ends once, nothing quarantined, the daemon runs on and says so once per loss")
    func cutsWhileProcessing() async throws {
        try await Journald.ensureRunning()
        let server = try await PostgresServer.shared()
        let database = try await server.makeDatabase()
        let proxy = try FaultProxy(target: server.port)
        defer { proxy.stop() }
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        let url = "postgres://\(PostgresServer.user)@127.0.0.1:\(proxy.port)/\(database.name)"
        try daemon.start(ClusterTests.settings(url, node: "a"))
        try await daemon.waitReady()
        _ = try await within(20, "a leads") { [notify = daemon.notify] in await notify.first { $0.contains("cluster leader (term 1)") } }

        // Six batches of five; each cut comes once the batch's first result is out, with the
        // rest of it in flight. After the third, new connections are refused for a while too.
        var cuts = 0
        for (batch, start) in stride(from: 0, to: Self.inputs.count, by: 5).enumerated() {
            for (name, text) in Self.inputs[start..<start + 5] { try daemon.drop(name, text) }
            _ = try await within(60, "a result of batch \(batch)") { await outbox.await(count: start + 1) }
            if batch == 2 {
                proxy.refuse(true)
                proxy.cutAll()
                // The heartbeat and the pipeline try again and are turned away before it comes back.
                let refusedBefore = proxy.refused
                try await within(30, "connections refused") { await proxy.waitForRefusals(refusedBefore + 3) }
                proxy.refuse(false)
            } else {
                proxy.cutAll()
            }
            cuts += 1
        }

        let results = try await within(60, "every input's result") { await outbox.await(count: Self.inputs.count) }
        // Counted once the ledger has each row.
        _ = try await within(60, "every input in the ledger") { [notify = daemon.notify] in
            await notify.first { $0.contains("processed 24, duplicates 6,") }
        }
        let ledger = try await server.runSQL("SELECT status || ' ' || COUNT(*) FROM files GROUP BY status ORDER BY status", database: database.name)
        #expect(ledger == "duplicate 6\nprocessed 24\n")
        #expect(daemon.quarantined().isEmpty, "\(daemon.quarantined())")
        // Still running, answering, and leading again.
        let status = try await HTTPClient.get("/status", socket: daemon.controlSocket)
        #expect((status.json?["cluster"] as? [String: Any])?["leading"] as? Bool == true, "\(daemon.log.suffix(3000))")
        #expect(proxy.accepted > 2, "the daemon never connected again")

        // One result per input, each complete: no processor lost its state write to a cut.
        var names: [String] = []
        for name in results {
            let record = try daemon.json(daemon.outbox + "/" + name)
            names.append(((record["source"] as? [String: Any])?["relative_path"] as? String) ?? "")
            if record["status"] as? String == "processed" {
                #expect((record["errors"] as? [String: Any])?.isEmpty == true, "\(name): \(record["errors"] ?? "")")
            }
        }
        #expect(names.sorted() == Self.inputs.map(\.name).sorted())
        #expect(daemon.results().count == Self.inputs.count)

        #expect(try await daemon.stop() == 0)
        // Each of the daemon's two sessions (state and heartbeat) says at most once per cut that
        // its connection was lost, however often its callers retried meanwhile.
        let log = daemon.log
        let losses = log.components(separatedBy: "connection to PostgreSQL at").count - 1
        #expect(losses >= 1 && losses <= 2 * cuts, "\(losses) losses said for \(cuts) cuts:\n\(log.suffix(6000))")
    }
}
