import Foundation
import SeedwatchTestSupport
import Testing

/// The dashboard on a running daemon over its real unix socket: the index fills as documents
/// are processed, and pages and JSON come from it.
@Suite("dashboard on the daemon", .timeLimit(.minutes(TestTime.minutes(2))))
struct DashboardDaemonTests {
    static let repositorySeeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seeds").path

    @Test("the repository's seeds become two stories with a new_topic each; a hostile title stays text; pages carry the policy")
    func seedsOnTheDashboard() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        try daemon.start()
        try await daemon.waitReady()
        let seeds = try FileManager.default.contentsOfDirectory(atPath: Self.repositorySeeds).sorted()
        #expect(seeds.count == 3)
        // One at a time, so the timeline's order is the seeds' order.
        for (number, name) in seeds.enumerated() {
            try FileManager.default.copyItem(atPath: Self.repositorySeeds + "/" + name, toPath: daemon.watch + "/" + name)
            _ = try await within(20, "result of \(name)") { await outbox.await(count: number + 1) }
        }
        try daemon.drop("hostile.txt", "<script>alert(1)</script>\n\nA short note about nothing in particular, written to test the dashboard.")
        _ = try await within(20, "fourth result") { await outbox.await(count: 4) }
        // Counted once its alerts are raised (and indexed).
        _ = try await within(10, "four counted") { [notify = daemon.notify] in await notify.first { $0.contains("processed 4,") } }
        let socket = daemon.controlSocket

        let topics = try #require(try await HTTPClient.get("/api/topics", socket: socket).json?["topics"] as? [[String: Any]])
        #expect(topics.count >= 2, "\(topics)")
        #expect(topics.allSatisfy { ($0["label"] as? String)?.isEmpty == false })
        let documents = try #require(try await HTTPClient.get("/api/documents?limit=10", socket: socket).json?["documents"] as? [[String: Any]])
        #expect(documents.count == 4)
        #expect(documents.first?["title"] as? String == "<script>alert(1)</script>")
        let alerts = try #require(try await HTTPClient.get("/api/alerts", socket: socket).json?["alerts"] as? [[String: Any]])
        #expect(alerts.count(where: { $0["class"] as? String == "new_topic" }) >= 2, "\(alerts)")
        let ids = Set(documents.compactMap { $0["id"] as? String })
        #expect(alerts.allSatisfy { ids.contains($0["document_id"] as? String ?? "") })

        let overview = try await HTTPClient.get("/", socket: socket)
        #expect(overview.status == 200)
        #expect(overview.body.contains("<h1>Overview</h1>"))
        #expect(overview.body.contains("<div class=\"value\" data-status=\"processed\">4</div>"))
        let timeline = try await HTTPClient.get("/timeline", socket: socket)
        #expect(timeline.status == 200)
        #expect(timeline.header("Content-Type") == "text/html; charset=utf-8")
        #expect(timeline.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
        #expect(timeline.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!timeline.body.contains("<script>alert"))
        let firstAlert = try #require(alerts.last?["document_id"] as? String)
        let page = try await HTTPClient.get("/view/\(firstAlert)", socket: socket)
        #expect(page.status == 200)
        #expect(page.body.contains("id=\"raw-json\""))
        #expect(try await daemon.stop() == 0)
    }
}
