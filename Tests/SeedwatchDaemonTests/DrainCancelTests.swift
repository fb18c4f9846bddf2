import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// A document cut off by the drain timeout leaves nothing and is processed at the next start
/// (issue 19, defect 4), end to end.
@Suite("Drain timeout", .timeLimit(.minutes(TestTime.minutes(2))))
struct DrainCancelTests {
    @Test("a document cancelled by the drain timeout writes no result and is processed after a restart")
    func cancelledThenRedone() async throws {
        let daemon = try DaemonHarness()
        let signals = daemon.root + "/signals"
        let started = try FolderEvents(folder: signals)
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer {
            started.stop()
            outbox.stop()
        }
        // A processor that says it started, then outlasts the drain timeout, and any delay of this
        // test process before it sends SIGTERM (CPU-heavy suites beside it can hold its threads
        // for half a minute): at 30 s it once finished first, and its result was rightly written.
        let config = daemon.root + "/slow.json"
        let settings: [String: Any] = [
            "processors": ["external": ["slow": ["command": ["/bin/sh", "-c", ": > '\(signals)/started'; exec sleep 300"], "timeout_ms": 600000]]],
        ]
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: config))
        let quick = ["processors.entities.enabled=false", "processors.topics.enabled=false"]
        try daemon.start(quick + ["pipeline.drain_timeout_ms=200"], arguments: ["--config", config])
        try await daemon.waitReady()
        try daemon.drop("slow.txt", "A document that is still being processed when the daemon is asked to stop.")
        _ = try await within(20, "the slow processor started") { await started.await(count: 1, matching: { $0 == "started" }) }

        #expect(try await daemon.stop() == 0)
        #expect(daemon.results().isEmpty, "\(daemon.results())")
        #expect(daemon.log.contains("cancelled before its result was written"), "\(daemon.log)")

        // Without the slow processor, the catch-up scan finds the file unrecorded and processes it.
        try daemon.start(quick)
        try await daemon.waitReady()
        let results = try await within(20, "the result after restart") { await outbox.await(count: 1) }
        #expect(results.count == 1 && results[0].hasPrefix("slow."))
        let record = try daemon.json(daemon.outbox + "/" + results[0])
        #expect((record["errors"] as? [String: Any])?.isEmpty == true, "\(record)")
        #expect(try await daemon.stop() == 0)
    }
}
