import Foundation
import Glibc
import SeedwatchTestSupport
import Testing

/// External processors declared in a configuration file, run by the real daemon: the shipped
/// examples in both modes land in the outbox beside the built-ins, and a plugin that crashes
/// becomes an error entry for itself only.
@Suite("External processors in the daemon", .timeLimit(.minutes(TestTime.minutes(2))))
struct ExternalProcessorTests {
    static var examples: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("packaging/examples/processors").path
    }

    @Test("the example plugins (per-document and persistent) and a crashing one, end to end")
    func examplePluginsAndACrash() async throws {
        let daemon = try DaemonHarness()
        let outbox = try FolderEvents(folder: daemon.outbox)
        defer { outbox.stop() }
        let config = daemon.root + "/seedwatch.json"
        let settings: [String: Any] = [
            "processors": [
                "external": [
                    "wc": ["command": ["/bin/sh", Self.examples + "/wordcount.sh"], "timeout_ms": 20000],
                    "keywords": [
                        "command": ["python3", Self.examples + "/keywords.py"], "mode": "persistent",
                        "timeout_ms": 20000,
                    ],
                    "crasher": ["command": ["/bin/sh", "-c", "cat >/dev/null; echo boom >&2; exit 3"]],
                ],
            ],
        ]
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: config))
        try daemon.start(["processors.entities.enabled=false", "processors.topics.enabled=false"], arguments: ["--config", config])
        try await daemon.waitReady()

        try daemon.drop("tram.txt", ReloadTests.article("plugins"))
        let names = try await within(30, "the result") { await outbox.await(count: 1) { $0.hasPrefix("tram.") } }
        let result = try daemon.json(daemon.outbox + "/" + #require(names.first))
        let results = try #require(result["results"] as? [String: Any])
        let words = try #require(results["wc"] as? [String: Any])["words"] as? Int
        #expect(words == ReloadTests.article("plugins").split(whereSeparator: \.isWhitespace).count)
        #expect(results["keywords"] != nil, "\(result)")
        #expect(results["summary"] != nil)
        let processors = try #require(result["processors"] as? [String: Any])
        #expect((processors["crasher"] as? [String: Any])?["status"] as? String == "error")
        #expect((processors["wc"] as? [String: Any])?["status"] as? String == "ok")
        let errors = try #require(result["errors"] as? [String: Any])
        #expect(errors["crasher"] != nil)
        #expect(errors["wc"] == nil && errors["keywords"] == nil)

        #expect(try await daemon.stop() == 0)
        // The plugin's stderr reaches the log under its name.
        #expect(daemon.log.contains("boom"), "\(daemon.log)")
    }
}
