import Foundation
import Testing

/// The command-line contract: names, exit statuses, outputs.
@Suite("Command line")
struct CommandLineTests {
    @Test("check-config prints the effective configuration with overrides from --set and the environment")
    func checkConfig() async throws {
        let result = try await DaemonHarness.command(
            ["check-config", "--set", "processors.summary.sentences=5", "--set", "ingest.ignore=*.a,*.b"],
            environment: ["SEEDWATCH_PIPELINE__TIMEOUT_MS": "2500"]
        )
        #expect(result.status == 0, "\(result.err)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let processors = try #require(object["processors"] as? [String: Any])
        #expect((processors["summary"] as? [String: Any])?["sentences"] as? Int == 5)
        #expect((object["pipeline"] as? [String: Any])?["timeout_ms"] as? Int == 2500)
        #expect((object["ingest"] as? [String: Any])?["ignore"] as? [String] == ["*.a", "*.b"])
        #expect(object["watch"] as? String == "seeds")
    }

    @Test("unknown keys and bad values exit 2 with the key named", arguments: [
        (["check-config", "--set", "processors.summary.sentencez=3"], "processors.summary.sentencez"),
        (["check-config", "--set", "ingest.max_size=big"], "ingest.max_size"),
        (["check-config", "--set", "ingest.duplicates=maybe"], "ingest.duplicates"),
        (["run", "--set", "pipeline.timeout_ms=-1"], "pipeline.timeout_ms"),
        (["process", "--set", "nope=1", "/dev/null"], "nope"),
        (["check-config", "--set", "novalue"], "novalue"),
        (["check-config", "--set", "ingest.after=move", "--set", "watch=/tmp/inbox", "--set", "ingest.done_folder=/tmp/inbox/done"], "ingest.done_folder"),
        (["run", "--set", "ingest.after=move", "--watch", "/tmp", "--set", "ingest.done_folder=/tmp/done"], "ingest.done_folder"),
    ])
    func badConfiguration(arguments: [String], key: String) async throws {
        let result = try await DaemonHarness.command(arguments)
        #expect(result.status == 2)
        #expect(result.err.contains(key))
    }

    @Test("a bad value in the environment and an unreadable --config exit 2")
    func badEnvironmentAndFile() async throws {
        let environment = try await DaemonHarness.command(["check-config"], environment: ["SEEDWATCH_INGEST__RECURSIVE": "perhaps"])
        #expect(environment.status == 2)
        #expect(environment.err.contains("ingest.recursive"))
        let file = try await DaemonHarness.command(["check-config", "--config", "/nonexistent/seedwatch.json"])
        #expect(file.status == 2)
        #expect(file.err.contains("/nonexistent/seedwatch.json"))
    }

    @Test("process --json prints exactly one outbox-schema object per file")
    func processJSON() async throws {
        let samples = try FileManager.default.contentsOfDirectory(atPath: DaemonHarness.samples).sorted()
        #expect(samples.count >= 3)
        let paths = samples.map { DaemonHarness.samples + "/" + $0 }
        let result = try await DaemonHarness.command(["process", "--json", "--processors", "stats,summary"] + paths)
        #expect(result.status == 0, "\(result.err)")
        let lines = result.out.split(separator: "\n")
        #expect(lines.count == paths.count)
        for line in lines {
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["schema"] as? String == "seedwatch.result/1")
            let results = try #require(object["results"] as? [String: Any])
            #expect(results["summary"] != nil)
            #expect(results["stats"] != nil)
            #expect(results["entities"] == nil)
        }
    }

    @Test("process without --json prints a readable report; a bad file is reported with its code")
    func processReadable() async throws {
        let binary = NSTemporaryDirectory() + "seedwatch-binary-\(UInt32.random(in: 0...UInt32.max)).txt"
        try Data([0x00, 0x01, 0x02]).write(to: URL(fileURLWithPath: binary))
        defer { try? FileManager.default.removeItem(atPath: binary) }
        let seed = DaemonHarness.samples + "/2026-11-01-harbour-tram.txt"
        let result = try await DaemonHarness.command(["process", "--processors", "stats", seed, binary])
        #expect(result.status == 3, "a quarantined file: exit status 3")
        #expect(result.out.contains("  length:"), "the stats result in words: \(result.out)")
        #expect(result.err.contains("binary"))
    }

    @Test("an unknown processor name exits 2")
    func unknownProcessor() async throws {
        let result = try await DaemonHarness.command(["process", "--processors", "stats,nosuch", "/dev/null"])
        #expect(result.status == 2)
        #expect(result.err.contains("nosuch"))
    }
}
